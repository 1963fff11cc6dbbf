/**
 * OpenVINO for TypeScript over OpenVINO's C API (libopenvino_c via koffi), shaped like openvino-node so that the
 * official binding can replace it. To swap in openvino-node once it installs here:
 *   1. `npm install -w @blip/engine openvino-node@<version matching the wheel>`.
 *   2. Replace imports of './openvino/index.js' with `import { addon as ov } from 'openvino-node'` and build
 *      `new ov.Core()`, `new ov.Tensor(ov.element.f32, shape, data)`.
 *   3. Same names and meaning: Core.readModel/readModelSync, compileModel/compileModelSync(model, 'CPU', props),
 *      CompiledModel.inputs/outputs/input()/output()/createInferRequest(), InferRequest.setTensor/getTensor/
 *      setInputTensor/infer/inferAsync, Tensor.data/getData()/getShape()/getElementType()/getSize().
 *   4. Differences to adapt: ports here are plain data (`anyName`, `names`, `elementType`, `partialShape`) where
 *      openvino-node has Output objects with getters; dispose() has no openvino-node equivalent (drop the calls);
 *      outputs here are borrowed until the request's next run — openvino-node's likewise share request memory.
 */

export { CompiledModel } from './compiled-model.js';
export { Core, getVersion, type Version } from './core.js';
export type { ElementType, TensorData } from './element-type.js';
export { OpenVinoError, statusName } from './errors.js';
export { type InferInputs, type InferOutputs, InferRequest } from './infer-request.js';
export { locateOpenVino, OpenVinoNotFoundError } from './locate.js';
export { Model } from './model.js';
export { describePorts, type Port } from './port.js';
export { type ElementTypes, withElementTypes } from './preprocess.js';
export type { CompileProperties } from './properties.js';
export type { PartialShape } from './shape.js';
export { Tensor } from './tensor.js';
