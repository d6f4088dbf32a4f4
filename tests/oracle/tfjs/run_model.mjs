// Runs a TF.js graph (or layers) model with @tensorflow/tfjs's pure JS CPU backend, as the
// reference for `litelint convert` of the corpus's TF.js models (#17).
//
//   node run_model.mjs SPEC.json
//
// SPEC: {"model": ".../model.json", "inputs": [{"name", "dtype", "shape", "file"}],
//        "outputs": [names], "result": "OUT.json"}
// Each input file holds the raw little-endian values. OUT.json lists each output as
// {"name", "dtype", "shape", "file"}, its values written beside it as raw little-endian data.
// tfjs-node (native TensorFlow) is not used: its binary download does not work offline, and the
// CPU backend is the one TF.js ships everywhere.
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";

const require = createRequire(path.join(process.env.LITELINT_TFJS_DIR || ".", "package.json"));
// The "no tfjs-node" hint is printed once on import; it is not an error.
const tf = require("@tensorflow/tfjs");

const ARRAYS = { float32: Float32Array, int32: Int32Array, bool: Uint8Array };

function ioHandler(modelPath) {
  const dir = path.dirname(modelPath);
  return {
    load: async () => {
      const json = JSON.parse(fs.readFileSync(modelPath, "utf8"));
      return tf.io.getModelArtifactsForJSON(json, async (manifest) => {
        const specs = [];
        const buffers = [];
        for (const group of manifest) {
          specs.push(...group.weights);
          for (const p of group.paths) {
            const b = fs.readFileSync(path.join(dir, p));
            buffers.push(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
          }
        }
        return [specs, tf.io.concatenateArrayBuffers(buffers)];
      });
    },
  };
}

function readInput(spec) {
  const b = fs.readFileSync(spec.file);
  const Arr = ARRAYS[spec.dtype];
  if (!Arr) throw new Error(`input ${spec.name}: TF.js has no dtype ${spec.dtype}`);
  const values = new Arr(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
  return tf.tensor(spec.dtype === "bool" ? Array.from(values, (v) => v !== 0) : values,
                   spec.shape, spec.dtype);
}

async function main() {
  const spec = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
  await tf.setBackend("cpu");
  const json = JSON.parse(fs.readFileSync(spec.model, "utf8"));
  // Older layers models (tfjs-converter 0.x/1.x) carry no "format": a Keras topology
  // (model_config / class_name) rather than a GraphDef's node list says what they are.
  const topology = json.modelTopology || {};
  const layers = json.format === "layers-model" ||
                 (!topology.node && (topology.model_config || topology.class_name) !== undefined);
  const model = layers ? await tf.loadLayersModel(ioHandler(spec.model))
                       : await tf.loadGraphModel(ioHandler(spec.model));
  const inputs = {};
  for (const i of spec.inputs) inputs[i.name] = readInput(i);
  let outs;
  if (layers) {
    // A layers model takes its inputs by position; the .tflite names them after the layers.
    const ordered = model.inputNames.map((n) => inputs[n] ?? inputs[`${n}:0`]);
    if (ordered.some((t) => t === undefined)) {
      throw new Error(`inputs ${Object.keys(inputs)} do not name ${model.inputNames}`);
    }
    const r = model.predict(ordered.length === 1 ? ordered[0] : ordered);
    const list = Array.isArray(r) ? r : [r];
    outs = spec.outputs.length === list.length ? list : list.slice(0, spec.outputs.length);
  } else {
    // executeAsync handles control flow (while/if) and dynamic ops as well as plain graphs.
    const r = await model.executeAsync(inputs, spec.outputs);
    outs = Array.isArray(r) ? r : [r];
  }
  const dir = path.dirname(spec.result);
  const result = [];
  for (let k = 0; k < outs.length; k++) {
    const t = outs[k];
    const data = await t.data();
    const file = path.join(dir, `out${k}.bin`);
    const bytes = t.dtype === "bool" ? Uint8Array.from(data) : data;
    fs.writeFileSync(file, Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    result.push({ name: spec.outputs[k], dtype: t.dtype, shape: t.shape, file });
  }
  fs.writeFileSync(spec.result, JSON.stringify(result));
}

main().catch((e) => {
  process.stderr.write(`tfjs: ${e && e.message ? e.message : e}\n`);
  process.exit(1);
});
