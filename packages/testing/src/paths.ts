// Where things are in the repository, for helpers that start its programs or read its fixtures.
import { resolve } from 'node:path';

/** The repository root (this file is packages/testing/src/paths.ts). */
export const REPO = resolve(import.meta.dirname, '../../..');
/** The tiny random-init model: real tokens, nonsense answers, fast. */
export const TINY_MODEL = resolve(REPO, 'models/tiny-vqa');
/** Where test runs leave what they render (git-ignored). */
export const ARTIFACTS = resolve(REPO, 'artifacts');
