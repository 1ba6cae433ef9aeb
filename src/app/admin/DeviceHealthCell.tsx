// A station's device health on /admin: the last status its board reported, flagged stale after two
// missed reports (docs/devices.md, "How to read device health"). Rendered as text only.
import type { ReceivedDeviceStatus } from './adminClient';
import { healthItems, isStatusStale } from './healthText';

export function DeviceHealthCell({ status, now }: { status: ReceivedDeviceStatus | null; now: number }) {
  if (status === null) return <td data-testid="device-health">no status</td>;
  const stale = isStatusStale(status, now);
  return (
    <td data-testid="device-health">
      {stale && <strong data-testid="status-stale">stale </strong>}
      {healthItems(status, now).map(({ label, value }, index) => (
        <span key={label}>
          {index > 0 ? ', ' : ''}
          {label} <span data-testid={`health-${label.replace(/ /g, '-')}`}>{value}</span>
        </span>
      ))}
    </td>
  );
}
