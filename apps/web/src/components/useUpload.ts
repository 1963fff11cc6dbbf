'use client';
// Getting an image into a conversation: the server's limits and models, the client-side check, the upload.
import { type Dispatch, useCallback, useEffect, useState } from 'react';
import { useClient } from 'urql';
import type { ImageInfo, Limits, ModelInfo } from '../lib/apiTypes.js';
import type { ChatAction } from '../lib/chatState.js';
import { type FriendlyError, fromCombinedError } from '../lib/errors.js';
import { checkFile, DEFAULT_ACCEPTED, DEFAULT_MAX_UPLOAD_BYTES } from '../lib/fileCheck.js';
import { START_QUERY, UPLOAD_MUTATION } from '../lib/operations.js';

/** One sample image offered by the web app (/samples). */
export interface SampleImage {
  file: string;
  url: string;
  /** Example questions the demo model knows how to answer about it. */
  questions: string[];
}

interface UploadDeps {
  dispatch: Dispatch<ChatAction>;
  setError(error: FriendlyError | null): void;
  beforeUpload(): void;
  onUploaded(image: ImageInfo): void;
}

const FALLBACK_LIMITS: Limits = {
  maxUploadBytes: DEFAULT_MAX_UPLOAD_BYTES,
  maxQuestionChars: 500,
  acceptedMimeTypes: DEFAULT_ACCEPTED,
};

/** Limits, models, and the two ways to choose an image (a file, or a bundled sample). */
export function useUpload({ dispatch, setError, beforeUpload, onUploaded }: UploadDeps) {
  const client = useClient();
  const [limits, setLimits] = useState<Limits>(FALLBACK_LIMITS);
  const [models, setModels] = useState<ModelInfo[]>([]);
  const [uploading, setUploading] = useState(false);

  const loadStart = useCallback(async () => {
    const res = await client.query(START_QUERY, {}).toPromise();
    if (res.error) return setError(fromCombinedError(res.error));
    setError(null);
    setLimits(res.data.limits as Limits);
    setModels(res.data.models as ModelInfo[]);
  }, [client, setError]);

  useEffect(() => {
    void loadStart();
  }, [loadStart]);

  const chooseFile = useCallback(
    async (file: File) => {
      const problem = checkFile(file, limits);
      if (problem) return setError(problem);
      setError(null);
      beforeUpload();
      const local = URL.createObjectURL(file);
      dispatch({ type: 'preview', url: local });
      setUploading(true);
      try {
        const res = await client.mutation(UPLOAD_MUTATION, { file }).toPromise();
        if (res.error) {
          dispatch({ type: 'preview', url: null });
          return setError(fromCombinedError(res.error));
        }
        const image = res.data.uploadImage as ImageInfo;
        dispatch({ type: 'image', image });
        onUploaded(image);
      } finally {
        setUploading(false);
      }
    },
    [client, dispatch, limits, setError, beforeUpload, onUploaded],
  );

  const chooseSample = useCallback(
    async (sample: SampleImage) => {
      const res = await fetch(sample.url).catch(() => null);
      if (!res?.ok)
        return setError({ code: 'NETWORK', message: `The sample ${sample.file} could not be loaded.` });
      const blob = await res.blob();
      await chooseFile(new File([blob], sample.file, { type: blob.type || 'image/png' }));
    },
    [chooseFile, setError],
  );

  return { limits, models, uploading, chooseFile, chooseSample, loadStart };
}
