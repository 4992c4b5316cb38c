// The real VS Code is the one the harness promises: code-server 4.100.3 = VS Code 1.100.3 with a Node 20
// extension host; under @vscode/test-electron, any VS Code the manifest's engines range (^1.96.0) accepts.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

describe('test host', () => {
  it('is the VS Code the runner promised', () => {
    if (process.env.AGENTMETER_TEST_HOST === 'code-server') {
      assert.equal(vscode.version, '1.100.3');
      assert.match(process.version, /^v20\./);
    } else {
      const [major, minor] = vscode.version.split('.').map(Number);
      assert.ok(major > 1 || (major === 1 && minor >= 96), `VS Code ${vscode.version} is older than the engines range`);
    }
  });

  it('runs the extension with the fixture HOME, not the user\'s own logs', () => {
    const root = process.env.AGENTMETER_TEST_FIXTURE_ROOT;
    assert.ok(root, 'AGENTMETER_TEST_FIXTURE_ROOT is set');
    assert.ok(process.env.CLAUDE_CONFIG_DIR?.startsWith(root), `CLAUDE_CONFIG_DIR=${process.env.CLAUDE_CONFIG_DIR}`);
    assert.ok(process.env.CODEX_HOME?.startsWith(root), `CODEX_HOME=${process.env.CODEX_HOME}`);
  });
});
