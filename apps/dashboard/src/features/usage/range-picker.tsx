import { type OverviewRange, PRESETS } from './usage-range';

interface RangePickerProps {
  readonly range: OverviewRange;
  /** True while the custom range form is open, before it is applied. */
  readonly editingCustom: boolean;
  readonly onPreset: (range: OverviewRange) => void;
  readonly onCustom: () => void;
}

/** The time range as a segmented control: one click per common window, "Custom" opens the form. */
export function RangePicker({ range, editingCustom, onPreset, onCustom }: RangePickerProps) {
  const customActive = editingCustom || range.kind === 'custom';
  return (
    <fieldset className="segmented" aria-label="Time range">
      {PRESETS.map(({ preset, label }) => {
        const active = !customActive && range.kind === 'preset' && range.preset === preset;
        return (
          <button
            key={preset}
            type="button"
            className={active ? 'segmented-item active' : 'segmented-item'}
            aria-pressed={active}
            title={`Last ${label}`}
            onClick={() => onPreset({ kind: 'preset', preset })}
          >
            {label}
          </button>
        );
      })}
      <button type="button" className={customActive ? 'segmented-item active' : 'segmented-item'} aria-pressed={customActive} onClick={onCustom}>
        Custom
      </button>
    </fieldset>
  );
}
