// English: what Settings → Language says about the native date and time pickers.
export const locale = {
  pickersAfterRestart: 'The date and time pickers follow after a restart of the app.',
  pickersBrowser: 'The date and time pickers follow your browser’s language.',
};
