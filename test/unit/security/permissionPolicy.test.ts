import { describe, expect, it } from 'vitest';
import {
  areMediaTypesAllowed,
  isPermissionAllowed,
} from '../../../main/core/security/permissionPolicy';
import { isSameOrigin, originOf } from '../../../main/core/security/origin';

const APP = 'app://station';

describe('isPermissionAllowed', () => {
  it('grants camera/microphone (media) to the app origin, given as origin or URL', () => {
    expect(isPermissionAllowed('media', 'app://station', APP)).toBe(true);
    expect(isPermissionAllowed('media', 'app://station/index.html', APP)).toBe(true);
    expect(isPermissionAllowed('media', 'http://127.0.0.1:48123', 'http://127.0.0.1:48123/')).toBe(
      true,
    );
  });

  it('grants full screen (the live preview) to the app origin only', () => {
    expect(isPermissionAllowed('fullscreen', APP, APP)).toBe(true);
    expect(isPermissionAllowed('fullscreen', 'https://evil.example', APP)).toBe(false);
  });

  it.each([
    'geolocation',
    'notifications',
    'display-capture',
    'clipboard-read',
    'hid',
    'usb',
    'serial',
    'openExternal',
    'unknown',
    '',
  ])('denies %j even to the app origin', (permission) => {
    expect(isPermissionAllowed(permission, APP, APP)).toBe(false);
  });

  it.each([
    'https://evil.example',
    'app://other',
    'app://station.evil.example',
    'http://127.0.0.1:48124',
    'file:///work/main/out/renderer/index.html',
    'null',
    '',
    'not a url',
  ])('denies media to a foreign or opaque origin: %j', (origin) => {
    expect(isPermissionAllowed('media', origin, APP)).toBe(false);
    expect(isPermissionAllowed('media', origin, 'http://127.0.0.1:48123')).toBe(false);
  });
});

describe('areMediaTypesAllowed', () => {
  it('accepts camera and microphone, alone or together, and an empty request', () => {
    expect(areMediaTypesAllowed(['video'])).toBe(true);
    expect(areMediaTypesAllowed(['audio', 'video'])).toBe(true);
    expect(areMediaTypesAllowed([])).toBe(true);
    expect(areMediaTypesAllowed(undefined)).toBe(true);
  });

  it('refuses anything else', () => {
    expect(areMediaTypesAllowed(['unknown'])).toBe(false);
    expect(areMediaTypesAllowed(['video', 'screen'])).toBe(false);
  });
});

describe('originOf', () => {
  it('gives scheme://host[:port] for standard custom schemes, unlike URL.origin', () => {
    expect(new URL('app://station/x').origin).toBe('null');
    expect(originOf('app://station/index.html?x#y')).toBe('app://station');
    expect(originOf('APP://Station/')).toBe('app://station');
    expect(originOf('http://127.0.0.1:8080/a')).toBe('http://127.0.0.1:8080');
  });

  it('is undefined for hostless or unparsable input', () => {
    for (const input of [
      'file:///etc/passwd',
      'about:blank',
      'data:text/html,x',
      'null',
      '',
      null,
    ]) {
      expect(originOf(input)).toBeUndefined();
    }
  });

  it('never calls two hostless inputs the same origin', () => {
    expect(isSameOrigin('null', 'null')).toBe(false);
    expect(isSameOrigin('file:///a', 'file:///b')).toBe(false);
  });
});
