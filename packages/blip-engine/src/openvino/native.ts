// Loading libopenvino_c with koffi and declaring the part of the C API we use (headers: openvino/c/*.h in the wheel).
// Out-parameters that OpenVINO allocates (strings, shape dims) are declared `void *` so that we keep the raw pointer
// and can hand it back to the matching ov_*_free; koffi would otherwise copy and forget it.
import koffi from 'koffi';
import { locateOpenVino } from './locate.js';

koffi.opaque('ov_core_t');
koffi.opaque('ov_model_t');
koffi.opaque('ov_compiled_model_t');
koffi.opaque('ov_infer_request_t');
koffi.opaque('ov_tensor_t');
koffi.opaque('ov_output_const_port_t');
koffi.opaque('ov_preprocess_prepostprocessor_t');
koffi.opaque('ov_preprocess_input_info_t');
koffi.opaque('ov_preprocess_input_tensor_info_t');
koffi.opaque('ov_preprocess_output_info_t');
koffi.opaque('ov_preprocess_output_tensor_info_t');
koffi.struct('ov_version_t', { buildNumber: 'void *', description: 'void *' });
koffi.struct('ov_available_devices_t', { devices: 'void *', size: 'size_t' });
koffi.struct('ov_shape_t', { rank: 'int64_t', dims: 'void *' });
koffi.struct('ov_dimension_t', { min: 'int64_t', max: 'int64_t' });
koffi.struct('ov_partial_shape_t', { rank: 'ov_dimension_t', dims: 'void *' });
koffi.struct('ov_property_t', { key: 'const char *', value: 'const char *' });

/** C prototypes, one per line, exactly as koffi parses them (status codes are plain ints). */
const PROTOTYPES = {
  ov_get_last_err_msg: 'void *ov_get_last_err_msg()',
  ov_free: 'void ov_free(void *content)',
  ov_get_openvino_version: 'int ov_get_openvino_version(_Out_ ov_version_t *version)',
  ov_version_free: 'void ov_version_free(ov_version_t *version)',
  ov_core_create: 'int ov_core_create(_Out_ ov_core_t **core)',
  ov_core_free: 'void ov_core_free(ov_core_t *core)',
  ov_core_get_available_devices:
    'int ov_core_get_available_devices(ov_core_t *core, _Out_ ov_available_devices_t *devices)',
  ov_available_devices_free: 'void ov_available_devices_free(ov_available_devices_t *devices)',
  ov_core_read_model:
    'int ov_core_read_model(ov_core_t *core, const char *xml, const char *bin, _Out_ ov_model_t **model)',
  ov_core_compile_model_props:
    'int ov_core_compile_model_props(ov_core_t *core, ov_model_t *model, const char *device, size_t n, ' +
    'ov_property_t *props, _Out_ ov_compiled_model_t **compiled)',
  ov_core_compile_model_from_file_props:
    'int ov_core_compile_model_from_file_props(ov_core_t *core, const char *path, const char *device, size_t n, ' +
    'ov_property_t *props, _Out_ ov_compiled_model_t **compiled)',
  ov_core_get_property:
    'int ov_core_get_property(ov_core_t *core, const char *device, const char *key, _Out_ void **value)',
  ov_model_free: 'void ov_model_free(ov_model_t *model)',
  ov_model_inputs_size: 'int ov_model_inputs_size(ov_model_t *model, _Out_ size_t *size)',
  ov_model_outputs_size: 'int ov_model_outputs_size(ov_model_t *model, _Out_ size_t *size)',
  ov_model_const_input_by_index:
    'int ov_model_const_input_by_index(ov_model_t *model, size_t i, _Out_ ov_output_const_port_t **port)',
  ov_model_const_output_by_index:
    'int ov_model_const_output_by_index(ov_model_t *model, size_t i, _Out_ ov_output_const_port_t **port)',
  ov_compiled_model_free: 'void ov_compiled_model_free(ov_compiled_model_t *compiled)',
  ov_compiled_model_inputs_size:
    'int ov_compiled_model_inputs_size(ov_compiled_model_t *cm, _Out_ size_t *size)',
  ov_compiled_model_outputs_size:
    'int ov_compiled_model_outputs_size(ov_compiled_model_t *cm, _Out_ size_t *size)',
  ov_compiled_model_input_by_index:
    'int ov_compiled_model_input_by_index(ov_compiled_model_t *cm, size_t i, _Out_ ov_output_const_port_t **port)',
  ov_compiled_model_output_by_index:
    'int ov_compiled_model_output_by_index(ov_compiled_model_t *cm, size_t i, _Out_ ov_output_const_port_t **port)',
  ov_compiled_model_get_property:
    'int ov_compiled_model_get_property(ov_compiled_model_t *cm, const char *key, _Out_ void **value)',
  ov_compiled_model_create_infer_request:
    'int ov_compiled_model_create_infer_request(ov_compiled_model_t *cm, _Out_ ov_infer_request_t **request)',
  ov_output_const_port_free: 'void ov_output_const_port_free(ov_output_const_port_t *port)',
  ov_port_get_any_name: 'int ov_port_get_any_name(ov_output_const_port_t *port, _Out_ void **name)',
  ov_port_get_element_type: 'int ov_port_get_element_type(ov_output_const_port_t *port, _Out_ int *type)',
  ov_port_get_partial_shape:
    'int ov_port_get_partial_shape(ov_output_const_port_t *port, _Out_ ov_partial_shape_t *shape)',
  ov_partial_shape_free: 'void ov_partial_shape_free(ov_partial_shape_t *shape)',
  ov_infer_request_free: 'void ov_infer_request_free(ov_infer_request_t *request)',
  ov_infer_request_set_tensor:
    'int ov_infer_request_set_tensor(ov_infer_request_t *request, const char *name, ov_tensor_t *tensor)',
  ov_infer_request_set_input_tensor_by_index:
    'int ov_infer_request_set_input_tensor_by_index(ov_infer_request_t *request, size_t i, ov_tensor_t *tensor)',
  ov_infer_request_get_tensor:
    'int ov_infer_request_get_tensor(ov_infer_request_t *request, const char *name, _Out_ ov_tensor_t **tensor)',
  ov_infer_request_get_output_tensor_by_index:
    'int ov_infer_request_get_output_tensor_by_index(ov_infer_request_t *request, size_t i, _Out_ ov_tensor_t **tensor)',
  ov_infer_request_infer: 'int ov_infer_request_infer(ov_infer_request_t *request)',
  ov_tensor_create_from_host_ptr:
    'int ov_tensor_create_from_host_ptr(int type, ov_shape_t shape, void *data, _Out_ ov_tensor_t **tensor)',
  ov_tensor_create: 'int ov_tensor_create(int type, ov_shape_t shape, _Out_ ov_tensor_t **tensor)',
  ov_tensor_get_shape: 'int ov_tensor_get_shape(ov_tensor_t *tensor, _Out_ ov_shape_t *shape)',
  ov_tensor_get_element_type: 'int ov_tensor_get_element_type(ov_tensor_t *tensor, _Out_ int *type)',
  ov_tensor_get_byte_size: 'int ov_tensor_get_byte_size(ov_tensor_t *tensor, _Out_ size_t *size)',
  ov_tensor_data: 'int ov_tensor_data(ov_tensor_t *tensor, _Out_ void **data)',
  ov_tensor_free: 'void ov_tensor_free(ov_tensor_t *tensor)',
  ov_shape_free: 'int ov_shape_free(ov_shape_t *shape)',
  ov_preprocess_prepostprocessor_create:
    'int ov_preprocess_prepostprocessor_create(ov_model_t *model, _Out_ ov_preprocess_prepostprocessor_t **ppp)',
  ov_preprocess_prepostprocessor_free:
    'void ov_preprocess_prepostprocessor_free(ov_preprocess_prepostprocessor_t *ppp)',
  ov_preprocess_prepostprocessor_get_input_info_by_name:
    'int ov_preprocess_prepostprocessor_get_input_info_by_name(ov_preprocess_prepostprocessor_t *ppp, ' +
    'const char *name, _Out_ ov_preprocess_input_info_t **info)',
  ov_preprocess_input_info_free: 'void ov_preprocess_input_info_free(ov_preprocess_input_info_t *info)',
  ov_preprocess_input_info_get_tensor_info:
    'int ov_preprocess_input_info_get_tensor_info(ov_preprocess_input_info_t *info, ' +
    '_Out_ ov_preprocess_input_tensor_info_t **tensor)',
  ov_preprocess_input_tensor_info_free:
    'void ov_preprocess_input_tensor_info_free(ov_preprocess_input_tensor_info_t *tensor)',
  ov_preprocess_input_tensor_info_set_element_type:
    'int ov_preprocess_input_tensor_info_set_element_type(ov_preprocess_input_tensor_info_t *tensor, int type)',
  ov_preprocess_prepostprocessor_get_output_info_by_name:
    'int ov_preprocess_prepostprocessor_get_output_info_by_name(ov_preprocess_prepostprocessor_t *ppp, ' +
    'const char *name, _Out_ ov_preprocess_output_info_t **info)',
  ov_preprocess_output_info_free: 'void ov_preprocess_output_info_free(ov_preprocess_output_info_t *info)',
  ov_preprocess_output_info_get_tensor_info:
    'int ov_preprocess_output_info_get_tensor_info(ov_preprocess_output_info_t *info, ' +
    '_Out_ ov_preprocess_output_tensor_info_t **tensor)',
  ov_preprocess_output_tensor_info_free:
    'void ov_preprocess_output_tensor_info_free(ov_preprocess_output_tensor_info_t *tensor)',
  ov_preprocess_output_set_element_type:
    'int ov_preprocess_output_set_element_type(ov_preprocess_output_tensor_info_t *tensor, int type)',
  ov_preprocess_prepostprocessor_build:
    'int ov_preprocess_prepostprocessor_build(ov_preprocess_prepostprocessor_t *ppp, _Out_ ov_model_t **model)',
} as const;

/** A declared C function: koffi's callable plus its `.async(…args, cb)` form that runs on a worker thread. */
export type NativeFn = koffi.KoffiFunction;

/** Every declared function by its C name. */
export type OpenVinoApi = { [K in keyof typeof PROTOTYPES]: NativeFn } & { path: string };

let loaded: OpenVinoApi | undefined;

/** The loaded C API (loaded once, on first use); throws OpenVinoNotFoundError when the library is missing. */
export function openvino(): OpenVinoApi {
  if (loaded) return loaded;
  const path = locateOpenVino();
  const lib = koffi.load(path);
  const api: Record<string, unknown> = { path };
  for (const [name, proto] of Object.entries(PROTOTYPES)) api[name] = lib.func(proto);
  loaded = api as OpenVinoApi;
  return loaded;
}

/** Read a NUL-terminated C string at a pointer (undefined for NULL). */
export function cString(ptr: unknown): string | undefined {
  return ptr === null || ptr === undefined ? undefined : (koffi.decode(ptr, 'char', -1) as string);
}

/** Read then ov_free a string that OpenVINO allocated for us. */
export function takeString(ptr: unknown): string | undefined {
  const text = cString(ptr);
  if (ptr) openvino().ov_free(ptr);
  return text;
}
