// The extension's own lines in the output channel, below the level the logLevel setting asks for dropped.
import * as vscode from 'vscode';

export const LEVELS = ['error', 'warning', 'info', 'debug'] as const;
export type Level = (typeof LEVELS)[number];

export function configuredLevel(): Level {
  const value = vscode.workspace.getConfiguration('dockerfileStages').get<string>('logLevel', 'info');
  return (LEVELS as readonly string[]).includes(value) ? (value as Level) : 'info';
}

export class Logger {
  constructor(
    readonly channel: vscode.OutputChannel,
    private level: Level = configuredLevel(),
  ) {}

  setLevel(level: Level): void {
    this.level = level;
  }

  error(message: string): void {
    this.write('error', message);
  }

  warning(message: string): void {
    this.write('warning', message);
  }

  info(message: string): void {
    this.write('info', message);
  }

  debug(message: string): void {
    this.write('debug', message);
  }

  private write(level: Level, message: string): void {
    if (LEVELS.indexOf(level) <= LEVELS.indexOf(this.level)) {
      this.channel.appendLine(`[${new Date().toISOString()}] ${level}: ${message}`);
    }
  }
}
