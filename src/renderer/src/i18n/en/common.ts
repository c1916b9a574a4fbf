// English: the shell of the workspace (top bar, shared buttons and words).
export const common = {
  brand: 'Omni Desk',
  headless: 'Headless',
  settings: 'Settings',
  close: 'Close',
  cancel: 'Cancel',
  save: 'Save',
  language: 'Language',
  languageHint: 'Dates, times and numbers follow the language chosen here.',
  sizeB: '{{value}} B',
  sizeKb: '{{value}} KB',
  sizeMb: '{{value}} MB',
};
