// @blip/engine/testing: the stand-in Engine for host tests, and the contract every Engine must meet.
export { type ContractSubject, engineContract } from './contract.js';
export type { HeldGeneration } from './held.js';
export { StandInEngine, type StandInOptions } from './stand-in.js';
export { STAND_IN_FEATURE_SIZE, type StandInFeatures, wordsVector } from './stand-in-features.js';
export { standInModel } from './stand-in-model.js';
