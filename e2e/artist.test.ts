// Artist mode in real Chromium on the built page served by a real relay (strikes from ?source=sim):
// the panel drives the canvas and the sound within a frame.
import { expect, it } from 'vitest';
import { pitchOf } from '../src/app/audio/pitch';
import { defaultSoundSettings } from '../src/app/audio/soundSettings';
import { knob, openArtistPage, poll, STATION, typeInto } from './support/artistPage';

it("a chime's color changed in the panel is the color of its next circle", async () => {
  const { page, errors } = await openArtistPage();
  // Circles filled, opaque, full size at once and no chime dots, so a pixel at the chime is the circle.
  await page.evaluate(() =>
    window.aeolian!.store.getState().setVisual({ circleStyle: 'fill', circleOpacity: 1, circleStartShare: 1, circleLifetimeMs: 10_000, markerStyle: 'hidden' }),
  );
  const pixelAtChime0 = () =>
    page.evaluate(() => {
      const canvas = document.querySelector<HTMLCanvasElement>('[data-testid="map"]')!;
      const ratio = canvas.width / canvas.getBoundingClientRect().width;
      const { width, height } = canvas.getBoundingClientRect();
      // layoutScene, close up: chime 0 sits straight above the centre on a ring of 0.3 * the short side.
      const x = width / 2;
      const y = height / 2 - Math.min(width, height) * 0.3;
      return [...canvas.getContext('2d')!.getImageData(Math.round(x * ratio), Math.round(y * ratio), 1, 1).data.slice(0, 3)];
    });
  const isMagenta = ([r, g, b]: number[]) => r! > 200 && g! < 80 && b! > 200;

  await typeInto(page, 'chime 1', '#ff00ff');
  await poll(() => page.evaluate(() => window.aeolian!.store.getState().visual.palette[0])).toBe('#ff00ff');
  expect(isMagenta(await pixelAtChime0())).toBe(false); // nothing drawn there yet

  await page.keyboard.press('1');
  await poll(async () => isMagenta(await pixelAtChime0())).toBe(true);
  // Another color for the same chime: the next circle follows (the old one is still fading).
  await typeInto(page, 'chime 1', '#00ff00');
  await page.keyboard.press('1');
  await poll(async () => {
    const [r, g, b] = await pixelAtChime0();
    return g! > 200 && r! < 80 && b! < 80;
  }).toBe(true);
  expect(errors).toEqual([]);
});

it('a scale chosen in the panel sets the pitch of the next note the engine plays', async () => {
  const { page, errors } = await openArtistPage();
  // No wind: the last note is then always the one the key rang (the other stations' wind could
  // play between the key and the check; ?stations= only picks the close-up).
  await typeInto(page, 'wind speed (x)', '0');
  await page.getByTestId('listen').click();
  await page.waitForFunction(() => window.aeolian!.store.getState().audio === 'on', null, { timeout: 15_000 });
  const lastNote = () =>
    page.evaluate(() => (window.aeolian as unknown as { artist: { audio(): { lastNote: { midi: number; station: string; chime: number } } } }).artist.audio().lastNote);
  const stationIndex = await page.evaluate((id) => window.aeolian!.store.getState().stations.findIndex((s) => s.id === id), STATION);

  await page.keyboard.press('4');
  await poll(lastNote).toEqual({ midi: pitchOf(defaultSoundSettings, stationIndex, 3), station: STATION, chime: 3 });

  await knob(page, 'scale').locator('select').selectOption({ label: 'whole tone' });
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await page.keyboard.press('4');
  const wholeTone = pitchOf({ ...defaultSoundSettings, scale: 'wholeTone' }, stationIndex, 3);
  expect(wholeTone).not.toBe(pitchOf(defaultSoundSettings, stationIndex, 3));
  await poll(lastNote).toEqual({ midi: wholeTone, station: STATION, chime: 3 });
  // The panel's monitor shows the same note.
  await poll(() => knob(page, 'last note').locator('input').inputValue()).toMatch(new RegExp(`^${wholeTone} `));
  expect(errors).toEqual([]);
});
