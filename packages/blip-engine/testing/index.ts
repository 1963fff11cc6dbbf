// @blip/engine/testing: the stand-in Engine for host tests, and the contract every Engine must meet.
export type { HeldGeneration } from './held.js';
export { StandInEngine, type StandInOptions, standInModel } from './stand-in.js';
