import type { Severity } from '@tlsdoctor/diagnosis';

/** ANSI colour only for a terminal, and never when NO_COLOR is set (no-color.org). */
export function useColor(stream: { isTTY?: boolean }): boolean {
  return !!stream.isTTY && !process.env.NO_COLOR && process.env.TERM !== 'dumb';
}

const CODES: Record<Severity, string> = { error: '31', warning: '33', info: '36', ok: '32' };

export function paint(text: string, severity: Severity, color: boolean): string {
  return color ? `\x1b[${CODES[severity]}m${text}\x1b[0m` : text;
}

export function bold(text: string, color: boolean): string {
  return color ? `\x1b[1m${text}\x1b[0m` : text;
}
