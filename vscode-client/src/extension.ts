// The Dockerfile Stages extension: finds the server, runs it through vscode-languageclient, and adds
// commands for what LSP alone does not give a button to (split, size report, restart, output).
import * as vscode from 'vscode';
import { DidChangeConfigurationNotification, LanguageClient, State } from 'vscode-languageclient/node';
import { ServerCommand, discoverServer, isFailure } from './discovery';
import { warnAboutOtherServers } from './coexistence';
import { Level, Logger, configuredLevel } from './logger';
import { SizeReportProvider, showSizeReport } from './sizeReport';
import { affectsServer, needsRestart, serverSettingKeys, serverSettings } from './settings';
import { splitActiveFile } from './split';
import { StatusItem } from './status';

export const DOCUMENT_SELECTOR = [
  { scheme: 'file', language: 'dockerfile' },
  { scheme: 'untitled', language: 'dockerfile' },
  // Compose and Bake files, for target completion: by name, whatever language they open as
  { scheme: 'file', pattern: '**/{compose,docker-compose}.{yaml,yml}' },
  { scheme: 'file', pattern: '**/docker-bake{,.override}.{hcl,json}' },
];

/** One running server and what the commands need from it. */
export class Session {
  client: LanguageClient | undefined;
  server: ServerCommand | undefined;
  private starting: Promise<void> | undefined;

  constructor(
    readonly context: vscode.ExtensionContext,
    readonly log: Logger,
    readonly status: StatusItem,
    readonly settingKeys: string[],
  ) {}

  start(): Promise<void> {
    this.starting ??= this.startOnce().finally(() => (this.starting = undefined));
    return this.starting;
  }

  async restart(): Promise<void> {
    await this.stop();
    this.log.setLevel(configuredLevel());
    await this.start();
  }

  async stop(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    if (client) {
      await client.stop().catch((error) => this.log.warning(`stopping the server: ${String(error)}`));
      await client.dispose();
    }
  }

  sendSettings(): void {
    void this.client?.sendNotification(DidChangeConfigurationNotification.type, {
      settings: serverSettings(this.settingKeys),
    });
  }

  private async startOnce(): Promise<void> {
    this.status.starting('looking for the server');
    const found = await discoverServer(this.context.extensionPath, this.log);
    if (isFailure(found)) {
      this.server = undefined;
      this.log.error(found.message);
      this.status.error(found.message);
      void this.offerSetting(found.message, found.setting);
      return;
    }
    this.server = found;
    const client = new LanguageClient(
      'dockerfileStages',
      'Dockerfile Stages',
      {
        command: found.command,
        args: [...found.args, 'serve'],
        options: { env: { ...found.env, DOCKERFILE_STAGES_LOG_LEVEL: serverLogLevel(configuredLevel()) } },
      },
      {
        documentSelector: DOCUMENT_SELECTOR,
        initializationOptions: serverSettings(this.settingKeys),
        outputChannel: this.log.channel,
      },
    );
    client.onDidChangeState((change) => {
      if (change.newState === State.Running) {
        this.status.ready(found.source);
      } else if (change.newState === State.Starting) {
        this.status.starting(found.source);
      } else if (this.client === client) {
        this.status.error('the server stopped: see the output');
      }
    });
    this.client = client;
    try {
      await client.start();
    } catch (error) {
      const message = `the server did not start (${found.source}): ${String(error)}`;
      this.log.error(message);
      this.status.error(message);
      void this.offerSetting(`Dockerfile Stages: ${message}`, 'dockerfileStages.server');
    }
  }

  private async offerSetting(message: string, setting: string): Promise<void> {
    const open = 'Open Setting';
    const output = 'Show Output';
    const choice = await vscode.window.showErrorMessage(message, open, output);
    if (choice === open) {
      await vscode.commands.executeCommand('workbench.action.openSettings', setting);
    } else if (choice === output) {
      this.log.channel.show(true);
    }
  }
}

/** The server's level: pygls logs every message at info, so that much only comes with debug. */
function serverLogLevel(level: Level): Level {
  return level === 'info' ? 'warning' : level;
}

let session: Session | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const channel = vscode.window.createOutputChannel('Dockerfile Stages');
  const log = new Logger(channel);
  const status = new StatusItem();
  const keys = serverSettingKeys(context.extension.packageJSON);
  const current = new Session(context, log, status, keys);
  session = current;
  const sizeReports = new SizeReportProvider(current);
  context.subscriptions.push(
    channel,
    status,
    vscode.workspace.registerTextDocumentContentProvider(SizeReportProvider.scheme, sizeReports),
    vscode.commands.registerCommand('dockerfileStages.restartServer', () => current.restart()),
    vscode.commands.registerCommand('dockerfileStages.showOutput', () => channel.show(true)),
    vscode.commands.registerCommand('dockerfileStages.split', () => splitActiveFile(current)),
    vscode.commands.registerCommand('dockerfileStages.showSizeReport', () => showSizeReport(current, sizeReports)),
    // trust can only be granted while running (revoking it reloads the window): sizes go online
    vscode.workspace.onDidGrantWorkspaceTrust(() => current.sendSettings()),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (needsRestart(event)) {
        void current.restart();
      } else if (affectsServer(event, keys)) {
        current.sendSettings();
      }
    }),
  );
  void warnAboutOtherServers(context, log);
  await current.start();
}

export async function deactivate(): Promise<void> {
  await session?.stop();
  session = undefined;
}
