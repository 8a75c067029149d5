// The status bar item: the server's state (starting, ready, error); a click shows the output.
import * as vscode from 'vscode';

export class StatusItem implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('dockerfileStages.status', vscode.StatusBarAlignment.Left, 0);

  constructor() {
    this.item.name = 'Dockerfile Stages';
    this.item.command = 'dockerfileStages.showOutput';
  }

  starting(detail: string): void {
    this.show('$(loading~spin) Stages: starting', detail, undefined);
  }

  ready(detail: string): void {
    this.show('$(check) Stages: ready', detail, undefined);
  }

  error(detail: string): void {
    this.show('$(error) Stages: error', detail, new vscode.ThemeColor('statusBarItem.errorBackground'));
  }

  dispose(): void {
    this.item.dispose();
  }

  private show(text: string, detail: string, background: vscode.ThemeColor | undefined): void {
    this.item.text = text;
    this.item.tooltip = `Dockerfile Stages: ${detail}`;
    this.item.backgroundColor = background;
    this.item.show();
  }
}
