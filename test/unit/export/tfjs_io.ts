// Reading an exported TF.js Layers folder from memory: tfjs-node (whose file:// handler
// reads folders) is not installed, so tests hand tf.loadLayersModel this IOHandler, which
// parses model.json with tfjs's own reader (the http and file handlers' path) and serves the
// weight files the manifest names.

import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import type { ExportFile } from '../../../engine/src/export/types';

/** An IOHandler over exported files in memory, through tfjs's own model.json reader. */
export function memoryHandler(files: ExportFile[]): tf.io.IOHandler {
  const byPath = new Map(files.map((f) => [f.path, f.data]));
  return {
    load: async () => {
      const json = byPath.get('model.json');
      assert.equal(typeof json, 'string', 'model.json is text');
      const modelJSON = JSON.parse(json as string) as tf.io.ModelJSON;
      return tf.io.getModelArtifactsForJSON(modelJSON, async (manifest) => {
        const specs = manifest.flatMap((g) => g.weights);
        const buffers = manifest.flatMap((g) =>
          g.paths.map((p) => {
            const b = byPath.get(p);
            assert.ok(b instanceof Uint8Array, `${p} is in the export`);
            return b.slice().buffer;
          }),
        );
        return [specs, tf.io.concatenateArrayBuffers(buffers)];
      });
    },
  };
}

