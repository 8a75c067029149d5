// Split into Builder and Runner: the server's code action on the whole active file, applied.
import * as vscode from 'vscode';
import { CodeAction, CodeActionKind, CodeActionRequest } from 'vscode-languageclient/node';
import { runCli } from './cli';
import type { Session } from './extension';

const SPLIT_TITLE = 'Split into builder and runner stages';

export async function splitActiveFile(session: Session): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  const client = session.client;
  if (!editor || editor.document.languageId !== 'dockerfile') {
    void vscode.window.showInformationMessage('Dockerfile Stages: open a Dockerfile to split it.');
    return;
  }
  if (!client || !client.isRunning()) {
    void vscode.window.showErrorMessage('Dockerfile Stages: the server is not running (see the output).');
    return;
  }
  const document = editor.document;
  const whole = new vscode.Range(0, 0, document.lineCount, 0);
  const answer = await client.sendRequest(CodeActionRequest.type, {
    textDocument: { uri: client.code2ProtocolConverter.asUri(document.uri) },
    range: client.code2ProtocolConverter.asRange(whole),
    context: { diagnostics: [], only: [CodeActionKind.RefactorRewrite] },
  });
  const split = (answer ?? []).find(
    (action): action is CodeAction => 'title' in action && action.title.startsWith(SPLIT_TITLE) && 'edit' in action,
  );
  if (!split?.edit) {
    void vscode.window.showInformationMessage(`Dockerfile Stages: no split here. ${await whyNot(session, document)}`);
    return;
  }
  const edit = await client.protocol2CodeConverter.asWorkspaceEdit(split.edit);
  if (!(await vscode.workspace.applyEdit(edit))) {
    void vscode.window.showErrorMessage('Dockerfile Stages: the split could not be applied (the file changed?).');
  }
}

/** The command line says why no split applies (the code action just is not offered). */
async function whyNot(session: Session, document: vscode.TextDocument): Promise<string> {
  if (!session.server) {
    return '';
  }
  const result = await runCli(session.server, ['split', '-'], document.getText(), 30000);
  return result.code === 0 ? '' : result.stderr.trim().replace(/^dockerfile-stages: /, '');
}
