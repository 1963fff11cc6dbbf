// OpenVINO's PrePostProcessor, the one use we have for it: the element type a model's inputs take and its
// outputs give, so a tensor can cross between two compiled models in the precision they compute in (the
// conversion then happens inside OpenVINO, where the plugin can fold it away) rather than as f32.
import { type ElementType, elementInfo } from './element-type.js';
import { check, invalid } from './errors.js';
import { Model } from './model.js';
import { openvino } from './native.js';

/** Element types by tensor name, for inputs and for outputs. */
export interface ElementTypes {
  inputs?: Readonly<Record<string, ElementType>>;
  outputs?: Readonly<Record<string, ElementType>>;
}

/**
 * `model` with the given inputs taking, and outputs giving, other element types (a Convert at each edge). The
 * result is a new Model over the same network, which OpenVINO changes in place: use the result, dispose both.
 */
export function withElementTypes(model: Model, types: ElementTypes): Model {
  const ov = openvino();
  const operation = `withElementTypes(${model.path})`;
  const ppp: unknown[] = [null];
  check(ov.ov_preprocess_prepostprocessor_create(model.native, ppp), operation);
  try {
    for (const [name, type] of Object.entries(types.inputs ?? {})) {
      if (!model.inputs.some((p) => p.names.includes(name))) throw invalid(operation, `no input '${name}'`);
      const info: unknown[] = [null];
      check(ov.ov_preprocess_prepostprocessor_get_input_info_by_name(ppp[0], name, info), operation);
      const tensor: unknown[] = [null];
      try {
        check(ov.ov_preprocess_input_info_get_tensor_info(info[0], tensor), operation);
        check(
          ov.ov_preprocess_input_tensor_info_set_element_type(tensor[0], elementInfo(type).code),
          operation,
        );
      } finally {
        if (tensor[0]) ov.ov_preprocess_input_tensor_info_free(tensor[0]);
        ov.ov_preprocess_input_info_free(info[0]);
      }
    }
    for (const [name, type] of Object.entries(types.outputs ?? {})) {
      if (!model.outputs.some((p) => p.names.includes(name))) throw invalid(operation, `no output '${name}'`);
      const info: unknown[] = [null];
      check(ov.ov_preprocess_prepostprocessor_get_output_info_by_name(ppp[0], name, info), operation);
      const tensor: unknown[] = [null];
      try {
        check(ov.ov_preprocess_output_info_get_tensor_info(info[0], tensor), operation);
        check(ov.ov_preprocess_output_set_element_type(tensor[0], elementInfo(type).code), operation);
      } finally {
        if (tensor[0]) ov.ov_preprocess_output_tensor_info_free(tensor[0]);
        ov.ov_preprocess_output_info_free(info[0]);
      }
    }
    const built: unknown[] = [null];
    check(ov.ov_preprocess_prepostprocessor_build(ppp[0], built), operation);
    return new Model(built[0], model.path);
  } finally {
    ov.ov_preprocess_prepostprocessor_free(ppp[0]);
  }
}
