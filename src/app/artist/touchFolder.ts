// The touch knobs: how a visitor's touch looks (mark style and color, size) and sounds (pitch
// offset, harmonicity, level), so nobody mistakes it for the wind. Saved in presets with the rest.
import type { FolderApi } from '@tweakpane/core';
import { sliderRange as range } from '../store/knobLimit';
import type { LiveStore } from '../store/liveStore';
import { TOUCH_LIMITS, TOUCH_STYLES, type TouchSettings } from '../store/touchSettings';
import type { PaneBinder } from './paneBinder';

export function addTouchFolder(pane: Pick<FolderApi, 'addFolder'>, store: LiveStore, binder: PaneBinder): void {
  const folder = pane.addFolder({ title: "Visitors' touches", expanded: false });
  const bindTouch = <K extends keyof TouchSettings>(label: string, key: K, params = {}) =>
    binder.bind(folder, label, (s) => s.touch[key], (value: TouchSettings[K]) => store.getState().setTouch({ [key]: value } as Partial<TouchSettings>), params);
  bindTouch('mark', 'style', { options: Object.fromEntries(TOUCH_STYLES.map((style) => [style, style])) });
  bindTouch('mark color', 'color', { view: 'color' });
  bindTouch('size (x wind)', 'sizeScale', range(TOUCH_LIMITS.sizeScale));
  bindTouch('pitch (semitones)', 'pitchOffsetSemitones', range(TOUCH_LIMITS.pitchOffsetSemitones));
  bindTouch('harmonicity', 'harmonicity', range(TOUCH_LIMITS.harmonicity));
  bindTouch('level (x wind)', 'level', range(TOUCH_LIMITS.level));
}
