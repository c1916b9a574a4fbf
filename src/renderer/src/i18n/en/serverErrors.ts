// English: the sentences main and the hub refuse with. They live in src/shared/serverErrors.ts, where
// main and the hub build them with `say(key, params)`; this namespace is the same catalog.
export { serverErrors } from '../../../../shared/serverErrors';
