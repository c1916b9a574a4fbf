// The sentence the UI shows for a failed call: the RpcError's own sentence, else a generic one.
export function messageOf(error: unknown, fallback = 'Something went wrong; try again.'): string {
  if (error instanceof Error && error.message) return error.message;
  if (typeof error === 'string' && error) return error;
  return fallback;
}
