import * as vscode from 'vscode';
import { createTranslator, type Translator } from '../app/i18n/translator';

/**
 * The app layer's translator in VS Code's display language (`vscode.env.language`), for what src/app renders
 * (status bar text and tooltip, progress text, export pickers' labels). The host's own messages use `vscode.l10n.t`.
 */
export function displayTranslator(): Translator {
  return createTranslator(vscode.env.language);
}
