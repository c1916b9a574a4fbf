// The softphone's sounds, shipped with the app (assets/sounds, written by scripts/makeSounds.mjs):
// the Voice SDK would otherwise fetch them from Twilio's CDN, and an unreachable CDN holds the
// incoming event back by two seconds. `?no-inline` keeps them files ('self' in the CSP), not data: URLs.
import incoming from '../../../../assets/sounds/incoming.wav?no-inline';
import outgoing from '../../../../assets/sounds/outgoing.wav?no-inline';
import disconnect from '../../../../assets/sounds/disconnect.wav?no-inline';
import dtmf0 from '../../../../assets/sounds/dtmf0.wav?no-inline';
import dtmf1 from '../../../../assets/sounds/dtmf1.wav?no-inline';
import dtmf2 from '../../../../assets/sounds/dtmf2.wav?no-inline';
import dtmf3 from '../../../../assets/sounds/dtmf3.wav?no-inline';
import dtmf4 from '../../../../assets/sounds/dtmf4.wav?no-inline';
import dtmf5 from '../../../../assets/sounds/dtmf5.wav?no-inline';
import dtmf6 from '../../../../assets/sounds/dtmf6.wav?no-inline';
import dtmf7 from '../../../../assets/sounds/dtmf7.wav?no-inline';
import dtmf8 from '../../../../assets/sounds/dtmf8.wav?no-inline';
import dtmf9 from '../../../../assets/sounds/dtmf9.wav?no-inline';
import dtmfs from '../../../../assets/sounds/dtmfs.wav?no-inline';
import dtmfh from '../../../../assets/sounds/dtmfh.wav?no-inline';

/** By the SDK's sound names (Device.SoundName). */
export const SOUNDS: Record<string, string> = { incoming, outgoing, disconnect, dtmf0, dtmf1, dtmf2, dtmf3, dtmf4, dtmf5, dtmf6, dtmf7, dtmf8, dtmf9, dtmfs, dtmfh };
