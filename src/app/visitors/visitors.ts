// The page's visitors, framework-free: owns the touch client and a small store the buttons read.
// A visitor's touch is shown and sounded here at once (local echo), then confirmed or refused by
// the relay; others' touches arrive on /live through the router, which asks heard() whether a
// touch is this page's own (already echoed) and so announces only the others'.
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { LiveStore } from '../store/liveStore';
import { TouchClient, type SentTouch, type TouchClientOptions, type TouchLinkState, type TouchOutcome } from './touchClient';
import { outcomeText, TOUCH_ANNOUNCE_INTERVAL_MS, TouchAnnouncer } from './touchFeedback';
import type { Participation, TouchMessage } from './touchWire';

/** Velocity of a visitor's touch (0..1), as the artist's hand-played strikes. */
export const TOUCH_VELOCITY = 0.8;
/** Seqs of this page's own acked touches kept to recognise them on /live. */
const OWN_SEQS_KEPT = 64;
/** An own touch not yet acked is recognised on /live by station and chime within this long. */
const OWN_ECHO_MATCH_MS = 5_000;

export interface TouchFeedback {
  id: string;
  station: string;
  chime: number;
  state: TouchOutcome['kind'];
  text: string;
}

export interface VisitorState {
  /** The page lets visitors play (off with `?buttons=0` or the embed API). */
  buttons: boolean;
  link: TouchLinkState;
  participation: Participation;
  /** This visitor's last touch and what became of it. */
  feedback: TouchFeedback | null;
  /** The latest line for screen readers about others' touches. */
  announcement: string;
}

export interface Visitors {
  readonly store: StoreApi<VisitorState>;
  /** Opens /touch; called when a visitor could first play (buttons shown), not for every viewer. */
  open(): void;
  /** A visitor strikes `chime` of `station`: echoed here at once and sent to everyone. */
  play(station: string, chime: number): void;
  setButtons(on: boolean): void;
  /** A touch from /live: 'own' if it is this page's (already shown and sounded), else announced. */
  heard(touch: TouchMessage): 'own' | 'other';
  dispose(): void;
}

export interface VisitorsOptions {
  live: LiveStore;
  /** Shows and sounds a touch on this page now (LivePage.strikeHere with the touch flag). */
  echo(station: string, chime: number, v: number): void;
  client: Omit<TouchClientOptions, 'url'> & { url: string };
  buttons?: boolean;
  now?: () => number;
}

export function createVisitors(options: VisitorsOptions): Visitors {
  const { live } = options;
  const now = options.now ?? Date.now;
  const store = createStore<VisitorState>()(() => ({
    buttons: options.buttons ?? true,
    link: 'idle',
    participation: { enabled: true, stations: {} },
    feedback: null,
    announcement: '',
  }));
  const stationName = (id: string) => live.getState().stations.find((s) => s.id === id)?.name ?? id;
  const ownSeqs: number[] = [];
  const unacked = new Map<string, { station: string; chime: number; at: number }>();
  const announcer = new TouchAnnouncer();
  let flushTimer: ReturnType<typeof setTimeout> | undefined;

  const client = new TouchClient(options.client, {
    outcome(touch: SentTouch, outcome: TouchOutcome) {
      if (outcome.kind === 'sent') unacked.set(touch.id, { station: touch.station, chime: touch.chime, at: now() });
      else unacked.delete(touch.id);
      if (outcome.kind === 'heard') {
        ownSeqs.push(outcome.seq);
        if (ownSeqs.length > OWN_SEQS_KEPT) ownSeqs.shift();
      }
      const shown = store.getState().feedback;
      // A late answer to an older touch does not hide what the visitor's latest touch is doing.
      if (outcome.kind !== 'sent' && shown && shown.id !== touch.id) return;
      store.setState({
        feedback: { id: touch.id, station: touch.station, chime: touch.chime, state: outcome.kind, text: outcomeText(outcome, stationName(touch.station), touch.chime) },
      });
    },
    // What was said about the last touch ("visitors are resting") is stale once who may play changes.
    participation: (participation) => store.setState({ participation, feedback: null }),
    link: (link) => store.setState({ link }),
  });

  const announce = (text: string) => {
    store.setState({ announcement: text });
    clearTimeout(flushTimer);
    flushTimer = setTimeout(() => {
      const summary = announcer.flush(now());
      if (summary) announce(summary);
    }, TOUCH_ANNOUNCE_INTERVAL_MS);
  };

  return {
    store,
    open: () => client.start(),
    play(station, chime) {
      if (!store.getState().buttons) return;
      client.start();
      const sent = client.touch(station, chime, TOUCH_VELOCITY);
      // Refused before sending (resting, slow down, offline): nothing sounds, the reason shows.
      if (unacked.has(sent.id)) options.echo(station, chime, TOUCH_VELOCITY);
    },
    setButtons: (buttons) => store.setState({ buttons }),
    heard(touch) {
      const seqAt = ownSeqs.indexOf(touch.seq);
      if (seqAt >= 0) {
        ownSeqs.splice(seqAt, 1);
        return 'own';
      }
      // Its ack may still be on its way (another socket): an own touch on that chime, just sent.
      for (const [id, mine] of unacked) {
        if (mine.station === touch.station && mine.chime === touch.chime && now() - mine.at < OWN_ECHO_MATCH_MS) {
          unacked.delete(id);
          return 'own';
        }
      }
      const line = announcer.heard(stationName(touch.station), touch.chime, now());
      if (line) announce(line);
      return 'other';
    },
    dispose() {
      clearTimeout(flushTimer);
      client.close();
    },
  };
}
