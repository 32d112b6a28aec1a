/** Public surface of the numeric layer: matrices, seeded randomness, stable reductions, small linear algebra. */
export { type Matrix, createMatrix, matrixFromRows, selectRows, column, columnRanges } from './matrix';
export { type Rng, createRng } from './rng';
export { logSumExp } from './logSumExp';
export { symmetricEigen, sqrtmPsd } from './symmetricEigen';
export { sortPairs } from './sortPairs';
export { selectKth } from './selectKth';
export { sampleIndices } from './sampleIndices';
export { AlignInputError, type AlignInputErrorCode } from './alignInputError';
export { assertMatrix, normaliseWeights, type MatrixChecks } from './validate';
export { uniqueRows, sumByIndex, type UniqueRows } from './uniqueRows';
export { lowerBound, upperBound } from './binarySearch';
