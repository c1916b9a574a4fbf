// Loads the Twilio Voice SDK on first use (its own chunk: the workspace starts without it). The SDK
// always opens wss://HOST/signal and reads window.WebSocket once, when its module runs; for a local
// signaling stand-in (tests, `voice.insecureSignaling`, loopback only) the WebSocket is wrapped
// first so that wss: becomes ws:. Nothing else of the page's WebSockets changes.
import type * as Sdk from '@twilio/voice-sdk';

type VoiceSdk = typeof Sdk;

let loading: Promise<VoiceSdk> | null = null;

function allowInsecureSignaling(): void {
  const Native = window.WebSocket;
  if ((Native as { omniLoopback?: boolean }).omniLoopback) return;
  class LoopbackSignalingWebSocket extends Native {
    static omniLoopback = true;
    constructor(url: string | URL, protocols?: string | string[]) {
      super(String(url).replace(/^wss:/, 'ws:'), protocols);
    }
  }
  window.WebSocket = LoopbackSignalingWebSocket;
}

export function loadVoiceSdk(insecureSignaling: boolean): Promise<VoiceSdk> {
  if (!loading) {
    if (insecureSignaling) allowInsecureSignaling();
    loading = import('@twilio/voice-sdk');
  }
  return loading;
}
