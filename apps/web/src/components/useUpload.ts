'use client';
// Getting an image into a conversation. The file is checked here, then by the server; only once the server has
// accepted it does a new conversation start, so a bad file never throws away the conversation that is open.
import { useCallback, useState } from 'react';
import { useClient } from 'urql';
import type { ImageInfo, Limits } from '../lib/api.js';
import { type FriendlyError, fromCombinedError } from '../lib/errors.js';
import { checkFile } from '../lib/fileCheck.js';
import { UPLOAD_MUTATION } from '../lib/operations.js';

/** One sample image offered by the web app (/samples). */
export interface SampleImage {
  file: string;
  url: string;
  /** Example questions the demo model knows how to answer about it. */
  questions: string[];
}

interface UploadDeps {
  limits: Limits;
  report(error: FriendlyError | null): void;
  /** The server accepted the image: start its conversation (`preview` is a local URL of the same picture). */
  accepted(image: ImageInfo, preview: string, questions: string[]): void;
}

/** The two ways to choose an image (a file, or a bundled sample), and the file being uploaded meanwhile. */
export function useUpload({ limits, report, accepted }: UploadDeps) {
  const client = useClient();
  const [uploading, setUploading] = useState<string | null>(null);

  const upload = useCallback(
    async (file: File, questions: string[] = []): Promise<boolean> => {
      const problem = checkFile(file, limits);
      if (problem) {
        report(problem);
        return false;
      }
      report(null);
      setUploading(file.name);
      try {
        const res = await client.mutation(UPLOAD_MUTATION, { file }).toPromise();
        if (res.error || !res.data) {
          report(res.error ? fromCombinedError(res.error) : null);
          return false;
        }
        accepted(res.data.uploadImage, URL.createObjectURL(file), questions);
        return true;
      } finally {
        setUploading(null);
      }
    },
    [client, limits, report, accepted],
  );

  /** Several files at once: one conversation is about one image, so the first image is used and the user is told. */
  const chooseFiles = useCallback(
    (files: File[]) => {
      const images = files.filter((f) => f.type === '' || f.type.startsWith('image/'));
      const first = images[0] ?? files[0];
      if (!first) return;
      void upload(first).then((ok) => {
        if (ok && files.length > 1)
          report({
            code: 'SEVERAL_FILES',
            message: `${files.length} files were dropped; a conversation is about one image, so “${first.name}” was used.`,
          });
      });
    },
    [upload, report],
  );

  const chooseSample = useCallback(
    async (sample: SampleImage) => {
      const res = await fetch(sample.url).catch(() => null);
      if (!res?.ok)
        return report({ code: 'NETWORK', message: `The sample ${sample.file} could not be loaded.` });
      const blob = await res.blob();
      await upload(new File([blob], sample.file, { type: blob.type || 'image/png' }), sample.questions);
    },
    [upload, report],
  );

  return { uploading, chooseFile: upload, chooseFiles, chooseSample };
}
