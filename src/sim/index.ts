// The wind model's public face: the relay's simulated devices (src/relay/devices) and the page
// import from here. Pure: no sockets, no timers.
export { SIM_STATIONS, type SimStationSpec } from './stations';
export { createWindField, MODEL_STEP_MS, type SimStrike, type WindControls, type WindField, type WindFieldOptions } from './windModel';
export { MIN_STRIKE_INTERVAL_MS, MAX_STATION_STRIKES_PER_S } from './chimes';
export { createRandom, deriveSeed, type Random } from './random';
