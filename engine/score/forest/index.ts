/** The forest's public surface: train, compile, predict, import, save/load, evaluate. */
export {
  defaultTrainOptions,
  trainForest,
  trainTree,
  quantise,
  binWithEdges,
  predictForest,
  assembleForest,
} from './train.js';
export { compileForest, predictCompiled, predictLeaves } from './compile.js';
export { importMlRandomForest } from './ml-rf.js';
export { serializeForest, deserializeForest, featureImportance, hashTrainingData, type ModelMeta } from './model.js';
export {
  auc,
  precisionAtK,
  crossValidate,
  calibrate,
  calibrator,
  type Calibrator,
  type CrossValidation,
} from './metrics.js';
export { createRng, type Rng } from './random.js';
export type * from './types.js';
