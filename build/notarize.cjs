// electron-builder's afterSign hook: notarizes the signed macOS app with Apple's notary service
// when the environment carries credentials, and otherwise says it skipped (unsigned CI builds,
// local builds). Credentials, one set of: APPLE_API_KEY + APPLE_API_KEY_ID + APPLE_API_ISSUER
// (App Store Connect API key), APPLE_ID + APPLE_APP_SPECIFIC_PASSWORD + APPLE_TEAM_ID, or
// APPLE_KEYCHAIN_PROFILE (+ APPLE_KEYCHAIN) stored with `xcrun notarytool store-credentials`.

const SKIP_REASON =
  'set APPLE_API_KEY, APPLE_API_KEY_ID and APPLE_API_ISSUER, or APPLE_ID, APPLE_APP_SPECIFIC_PASSWORD and APPLE_TEAM_ID, or APPLE_KEYCHAIN_PROFILE';

/**
 * The notarytool credentials in `env`, or null when no complete set is there. A half-filled set
 * counts as none, so a missing secret skips notarization instead of failing half-way.
 * @param {Record<string, string | undefined>} env
 */
function notarizeCredentials(env) {
  const set = (name) => typeof env[name] === 'string' && env[name].trim() !== '';
  if (set('APPLE_API_KEY') && set('APPLE_API_KEY_ID') && set('APPLE_API_ISSUER')) {
    return { appleApiKey: env.APPLE_API_KEY, appleApiKeyId: env.APPLE_API_KEY_ID, appleApiIssuer: env.APPLE_API_ISSUER };
  }
  if (set('APPLE_ID') && set('APPLE_APP_SPECIFIC_PASSWORD') && set('APPLE_TEAM_ID')) {
    return { appleId: env.APPLE_ID, appleIdPassword: env.APPLE_APP_SPECIFIC_PASSWORD, teamId: env.APPLE_TEAM_ID };
  }
  if (set('APPLE_KEYCHAIN_PROFILE')) {
    return { keychainProfile: env.APPLE_KEYCHAIN_PROFILE, ...(set('APPLE_KEYCHAIN') ? { keychain: env.APPLE_KEYCHAIN } : {}) };
  }
  return null;
}

/**
 * @param {{ electronPlatformName: string, appOutDir: string, packager: { appInfo: { productFilename: string } } }} context
 * @param {{ env?: Record<string, string | undefined>, log?: (line: string) => void, notarize?: (options: object) => Promise<void> }} [deps]
 * @returns {Promise<'notarized' | 'skipped' | 'not-macos'>}
 */
async function afterSign(context, deps = {}) {
  const env = deps.env ?? process.env;
  const log = deps.log ?? ((line) => console.log(line));
  if (context.electronPlatformName !== 'darwin' && context.electronPlatformName !== 'mas') return 'not-macos';
  const credentials = notarizeCredentials(env);
  if (credentials === null) {
    log(`  • notarization skipped: no Apple credentials in the environment (${SKIP_REASON})`);
    return 'skipped';
  }
  const appPath = `${context.appOutDir}/${context.packager.appInfo.productFilename}.app`;
  const notarize = deps.notarize ?? (await import('@electron/notarize')).notarize;
  log(`  • notarizing ${appPath} (this waits for Apple's notary service)`);
  await notarize({ tool: 'notarytool', appPath, ...credentials });
  log('  • notarized');
  return 'notarized';
}

module.exports = afterSign;
module.exports.default = afterSign;
module.exports.notarizeCredentials = notarizeCredentials;
