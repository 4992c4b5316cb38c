// The real VS Code is the one the harness promises (code-server 4.100.3 = VS Code 1.100.3 on Node 20).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

describe('test host', () => {
  it('is VS Code 1.100.x with a Node extension host', () => {
    assert.match(vscode.version, /^1\.100\./);
    assert.match(process.version, /^v20\./);
  });
});
