import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fixture } from '../testing/harness.js';
import { sniffImageType } from './sniff.js';

test('image types are recognised from their first bytes', () => {
  assert.equal(sniffImageType(fixture('photo-640x480.jpg'))?.format, 'jpeg');
  assert.equal(sniffImageType(fixture('shapes-640x480.png'))?.format, 'png');
  const ascii = (s: string) => new TextEncoder().encode(s);
  assert.equal(sniffImageType(ascii('GIF89a....'))?.mime, 'image/gif');
  assert.equal(sniffImageType(ascii('RIFF\0\0\0\0WEBPVP8 '))?.format, 'webp');
  assert.equal(sniffImageType(new Uint8Array([0x49, 0x49, 0x2a, 0x00, 8]))?.format, 'tiff');
  assert.equal(sniffImageType(ascii('\0\0\0\x1cftypavif'))?.format, 'avif');
});

test('anything else is not an image, however it is named', () => {
  for (const bytes of ['', 'hello', '<svg/>', '%PDF-1.7', 'RIFF\0\0\0\0WAVE', '\0\0\0\x1cftypmp42']) {
    assert.equal(sniffImageType(new TextEncoder().encode(bytes)), null, bytes);
  }
  assert.equal(sniffImageType(new Uint8Array([0xff, 0xd8])), null, 'a JPEG signature cut short');
});
