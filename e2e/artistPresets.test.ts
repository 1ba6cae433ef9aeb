// Artist-mode presets in real Chromium on the built page served by a real relay: files round-trip,
// bad files change nothing, links pick a shipped preset, and visitors never fetch the panel.
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { defaultSoundSettings } from '../src/app/audio/soundSettings';
import { knob, message, openArtistPage, openPage, poll, settingsOf, typeInto } from './support/artistPage';

it('export, reset, import restores every setting', async () => {
  const { page, errors } = await openArtistPage();
  // A look far from the built-in one: a shipped preset, then a few knobs by hand.
  await knob(page, 'shipped').locator('select').waitFor();
  await poll(() => knob(page, 'shipped').locator('option').allTextContents()).toContain('night');
  await knob(page, 'shipped').locator('select').selectOption('night');
  await page.getByRole('button', { name: 'load shipped' }).click();
  await poll(() => message(page).textContent()).toMatch(/night\.json loaded/);
  await typeInto(page, 'chime 2', '#123456');
  await knob(page, 'projection').locator('select').selectOption('orthographic');
  await typeInto(page, 'polyphony', '9');
  const tuned = await settingsOf(page);
  expect(tuned.visual.palette).toContain('#123456');
  expect(tuned.sound.polyphony).toBe(9);

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'export JSON file' }).click()]);
  const exported = readFileSync((await download.path())!, 'utf8');

  await page.getByRole('button', { name: 'reset to built-in' }).click();
  const reset = await settingsOf(page);
  expect(reset.sound).toEqual(defaultSoundSettings);
  expect(reset).not.toEqual(tuned);

  await page.getByTestId('artist-import').setInputFiles({ name: 'my-look.json', mimeType: 'application/json', buffer: Buffer.from(exported) });
  await poll(() => message(page).textContent()).toMatch(/my-look\.json loaded/);
  expect(await settingsOf(page)).toEqual(tuned);
  // ...and the panel shows the restored values.
  expect(await knob(page, 'polyphony').locator('input').first().inputValue()).toBe('9');
  expect(errors).toEqual([]);
});

it('a bad preset file is refused with what is wrong, and nothing changes', async () => {
  const { page, errors } = await openArtistPage();
  await typeInto(page, 'chime 1', '#abcdef');
  const before = await settingsOf(page);
  const importing = (name: string, text: string) => page.getByTestId('artist-import').setInputFiles({ name, mimeType: 'application/json', buffer: Buffer.from(text) });
  const valid = { version: 2, visual: { ...before.visual }, sound: before.sound };
  delete valid.visual.reducedMotion;

  await importing('broken.json', '{"version": 2, "visual": ');
  await poll(() => message(page).textContent()).toMatch(/broken\.json refused, nothing changed: not valid JSON/);
  expect(await settingsOf(page)).toEqual(before);

  await importing('loud.json', JSON.stringify({ ...valid, visual: { ...valid.visual, circleOpacity: 5 } }));
  await poll(() => message(page).textContent()).toMatch(/loud\.json refused.*visual\.circleOpacity: Too big: expected number to be <=1/);
  expect(await settingsOf(page)).toEqual(before);

  await importing('typed.json', JSON.stringify({ ...valid, sound: { ...valid.sound, scale: 42 } }));
  await poll(() => message(page).textContent()).toMatch(/typed\.json refused.*sound\.scale/);
  expect(await settingsOf(page)).toEqual(before);
  expect(await message(page).getAttribute('data-kind')).toBe('error');
  expect(errors).toEqual([]);
});

it('a visitor without ?dev fetches the default preset but never the panel chunk; ?dev fetches it', async () => {
  const { page, errors } = await openPage('?source=sim&seed=3');
  const requests: string[] = [];
  page.on('request', (request) => requests.push(new URL(request.url()).pathname));
  await page.reload();
  await page.getByTestId('status').filter({ hasText: 'simulation' }).waitFor({ timeout: 10_000 });
  await page.waitForLoadState('networkidle');
  expect(requests).toContain('/presets/default.json');
  expect(requests.filter((path) => /artistMode|tweakpane/.test(path))).toEqual([]);
  expect(await page.getByTestId('artist-panel').count()).toBe(0);

  await page.goto(page.url().replace('?', '?dev&'));
  await page.getByTestId('artist-panel').locator('.tp-rotv').waitFor({ timeout: 10_000 });
  expect(requests.some((path) => /\/assets\/artistMode-[\w-]+\.js$/.test(path))).toBe(true);
  expect(errors).toEqual([]);
});

it('?preset=<name> applies that shipped preset for every visitor', async () => {
  const night = JSON.parse(readFileSync('public/presets/night.json', 'utf8')) as { visual: { background: string }; sound: { scale: string } };
  const { page, errors } = await openPage('?source=sim&seed=3&preset=night');
  await poll(() => page.evaluate(() => [window.aeolian?.store.getState().visual.background, window.aeolian?.store.getState().sound.scale])).toEqual([night.visual.background, night.sound.scale]);
  expect(errors).toEqual([]);
});
