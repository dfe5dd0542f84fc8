import { describe, expect, it } from 'vitest';
import { definitionText, firstMessage, formPath } from './form-paths';

describe('formPath', () => {
  it('keeps the paths of fields the form shows', () => {
    for (const path of [
      'name',
      'description',
      'type',
      'concurrency',
      'timeoutSeconds',
      'maxAttempts',
      'paramsSchema',
      'config',
      'config.command',
      'config.args',
      'config.method',
      'config.url',
      'config.env',
      'config.headers',
    ])
      expect(formPath(path), path).toBe(path);
  });

  it('keeps an argument’s own path', () => {
    expect(formPath('config.args.2')).toBe('config.args.2');
    expect(formPath('config.args.2.x')).toBeNull();
  });

  it('gives errors inside env and headers to the whole list', () => {
    expect(formPath('config.env.1BAD')).toBe('config.env');
    expect(formPath('config.headers.X-Token')).toBe('config.headers');
  });

  it('leaves paths the form does not show to the message above it', () => {
    for (const path of ['schedules', 'schedules.0.cron', 'config.network', 'config.shell', 'owner', ''])
      expect(formPath(path), path).toBeNull();
  });
});

describe('firstMessage', () => {
  it('finds the first message under nested errors and skips react-hook-form’s own keys', () => {
    expect(firstMessage({ type: 'x', ref: { message: 'no' }, 0: { 1: { message: 'deep' } } })).toBe('deep');
    expect(firstMessage(undefined)).toBeUndefined();
    expect(firstMessage({ message: '' })).toBeUndefined();
  });
});

describe('definitionText', () => {
  it('prints a valid definition parsed, in DESIGN.md’s order', () => {
    const text = definitionText({ type: 'command', name: 'n', config: { command: '/bin/true' } });
    expect(Object.keys(JSON.parse(text))).toEqual([
      'name',
      'description',
      'type',
      'config',
      'concurrency',
      'timeoutSeconds',
      'maxAttempts',
      'paramsSchema',
      'schedules',
      'notifyOnFailure',
      'notifyEmails',
    ]);
    expect(JSON.parse(text)).toMatchObject({ timeoutSeconds: 3600, config: { args: [], network: false } });
  });

  it('prints an invalid one as typed', () => {
    expect(JSON.parse(definitionText({ type: 'http', name: '', timeoutSeconds: 0 }))).toMatchObject({
      name: '',
      timeoutSeconds: 0,
      config: null,
    });
  });
});
