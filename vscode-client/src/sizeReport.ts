// Show Size Report: the `size` command's text report (per-stage bar chart, what the final image
// ships) for the active Dockerfile, unsaved changes included, in a read-only document beside it.
import * as path from 'path';
import * as vscode from 'vscode';
import { runCli } from './cli';
import type { Session } from './extension';

export class SizeReportProvider implements vscode.TextDocumentContentProvider {
  static readonly scheme = 'dockerfile-stages-size';
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  constructor(private readonly session: Session) {}

  reportUri(source: vscode.Uri): vscode.Uri {
    const name = path.basename(source.path) || 'Dockerfile';
    return vscode.Uri.from({ scheme: SizeReportProvider.scheme, path: `/${name} (size report)`, query: source.toString() });
  }

  refresh(report: vscode.Uri): void {
    this.changed.fire(report);
  }

  async provideTextDocumentContent(report: vscode.Uri): Promise<string> {
    const source = vscode.Uri.parse(report.query);
    const document = vscode.workspace.textDocuments.find((open) => open.uri.toString() === source.toString());
    const server = this.session.server;
    if (!server) {
      return 'No Dockerfile Stages server is running: see the output (Dockerfile Stages: Show Output).';
    }
    const text = document ? document.getText() : new TextDecoder().decode(await vscode.workspace.fs.readFile(source));
    const result = await runCli(server, sizeArguments(source), text);
    if (result.code !== 0) {
      return `dockerfile-stages size failed (exit ${result.code}):\n${result.stderr}`;
    }
    return result.stdout;
  }
}

function sizeArguments(source: vscode.Uri): string[] {
  const config = vscode.workspace.getConfiguration('dockerfileStages', source);
  const args = ['size', '-', '--format', 'text', '--platform', config.get<string>('platform', 'linux/amd64')];
  if (source.scheme === 'file') {
    args.push('--context', path.dirname(source.fsPath));
  }
  if (!config.get<boolean>('sizes.online', true)) {
    args.push('--offline');
  }
  args.push('--timeout', String(config.get<number>('sizes.timeoutMs', 5000) / 1000));
  const cacheDir = config.get<string>('sizes.cacheDir', '');
  if (cacheDir) {
    args.push('--cache-dir', cacheDir);
  }
  for (const host of config.get<string[]>('sizes.insecureRegistries', [])) {
    args.push('--insecure-registry', host);
  }
  return args;
}

export async function showSizeReport(session: Session, provider: SizeReportProvider): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  if (!editor || editor.document.languageId !== 'dockerfile') {
    void vscode.window.showInformationMessage('Dockerfile Stages: open a Dockerfile to see its size report.');
    return;
  }
  if (!session.server) {
    await session.start();
  }
  const report = provider.reportUri(editor.document.uri);
  provider.refresh(report);
  const document = await vscode.workspace.openTextDocument(report);
  await vscode.window.showTextDocument(document, { viewColumn: vscode.ViewColumn.Beside, preview: false });
}
