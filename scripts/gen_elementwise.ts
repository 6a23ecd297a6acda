// Writes the CPU reference of the elementwise functions (engine/src/cpu/elementwise_generated.ts)
// from their expressions in engine/src/primitives/unary_fns.ts and binary_fns.ts. Run after
// changing either table: `npx tsx scripts/gen_elementwise.ts`.

import { writeFileSync } from 'node:fs';
import { ELEMENTWISE_GENERATED_PATH, elementwiseJsSource } from '../engine/src/primitives/elementwise_js_source';

writeFileSync(ELEMENTWISE_GENERATED_PATH, elementwiseJsSource());
console.log(`wrote ${ELEMENTWISE_GENERATED_PATH}`);
