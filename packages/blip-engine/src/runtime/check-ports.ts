// At load, each compiled graph's ports are held against the parts table: a folder exported with other tensor
// names, a missing decoder layer or an extra input fails here, naming the part and the port, rather than at
// the first caption with an OpenVINO message about an unbound tensor.
import { BlipError } from '../errors.js';
import { type PartSpec, tensorNames } from '../model/parts.js';
import { describePorts, type Port } from '../openvino/index.js';

/**
 * Throws MODEL_INVALID unless the graph has every port the table names (per decoder layer) and no unknown input
 * (the part's batchInputs may be there or not: folders exported before them have none).
 */
export function checkPorts(
  spec: PartSpec,
  graph: { inputs: readonly Port[]; outputs: readonly Port[] },
  layers: number,
  where: string,
): void {
  const fail = (what: string): never => {
    throw new BlipError('MODEL_INVALID', `${where}: part ${spec.name} ${what}`, {
      field: `parts.${spec.name}`,
    });
  };
  const has = (ports: readonly Port[], name: string) => ports.some((port) => port.names.includes(name));
  const inputs = tensorNames(Object.values(spec.inputs), layers);
  for (const name of inputs) {
    if (!has(graph.inputs, name))
      fail(`has no input port '${name}'; its inputs are: ${describePorts(graph.inputs)}`);
  }
  for (const name of tensorNames(Object.values(spec.outputs), layers)) {
    if (!has(graph.outputs, name))
      fail(`has no output port '${name}'; its outputs are: ${describePorts(graph.outputs)}`);
  }
  const fed = new Set([...inputs, ...Object.values(spec.batchInputs ?? {})]);
  const unknown = graph.inputs.find((port) => !port.names.some((name) => fed.has(name)));
  if (unknown)
    fail(`has an input port '${unknown.anyName}' that the engine does not feed (models/MODEL_FOLDER.md)`);
}
