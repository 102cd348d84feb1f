import type { Child } from "hono/jsx";
import { formatMoney, minorDigits } from "../worker/billing/currency";
import { describeScheme } from "../worker/billing/describe";
import { meterAmount, type PricingScheme } from "../worker/billing/meter";
import { BLOCK_MINUTES_MAX, FREE_MINUTES_MAX, PRICING_CURRENCIES, type SchemePreview, type SchemeValues } from "../worker/billing/pricing-form";
import { FieldNote, type Errors } from "./Form";

// The pricing scheme's fields and its price in words, shared by the room settings' In-app
// purchase section and the agent's own pricing in the private profile.

export const SCHEME_LABELS = {
  pricingCurrency: "Currency",
  pricingFreeMinutes: "Free minutes",
  pricingBlockPrice: "Price per block",
  pricingBlockMinutes: "Block length",
  pricingSplitThreshold: "Split threshold",
  authorisationAmount: "Authorisation amount",
} as const;

type InputProps = {
  name: string;
  label: string;
  value: string;
  errors: Errors;
  hint: Child;
  suffix?: string;
  inputmode?: "numeric" | "decimal";
  placeholder?: string;
  type?: "text" | "number";
  min?: number;
  max?: number;
  /** The suffix is the form's currency: relabelled by the currency controller when it changes. */
  money?: boolean;
};

/** A labelled input with a unit after it and its error (or hint) under it. */
export function UnitField({ name, label, value, errors, hint, suffix, inputmode = "decimal", placeholder, type = "text", min, max, money }: InputProps) {
  const id = `f-${name}`;
  const error = errors[name];
  const input = (
    <input
      id={id}
      name={name}
      type={type}
      inputmode={inputmode}
      min={min}
      max={max}
      step={type === "number" ? 1 : undefined}
      autocomplete="off"
      placeholder={placeholder}
      value={value}
      aria-invalid={error ? "true" : undefined}
      aria-describedby={error ? `${id}-error` : `${id}-help`}
    />
  );
  return (
    <div class={error ? "field has-error" : "field"}>
      <label for={id}>{label}</label>
      {suffix ? (
        <div class="input-suffix">
          {input}
          <span data-currency-target={money ? "code" : undefined}>{suffix}</span>
        </div>
      ) : (
        input
      )}
      <FieldNote id={id} error={error} hint={hint} />
    </div>
  );
}

/**
 * Fields whose edits refresh the preview: typing in them asks `url` for a new #pricing-preview
 * (a GET with just these fields), so the price in words follows the form before it is saved.
 */
export function LivePricing({ url, children }: { url: string; children?: Child }) {
  return (
    <div class="stack" data-controller="currency" hx-get={url} hx-trigger="input delay:400ms, change" hx-include="this" hx-target="#pricing-preview" hx-swap="outerHTML" hx-sync="this:queue last">
      {children}
    </div>
  );
}

/**
 * Currency, free minutes, price per block, block length and split threshold. The threshold is
 * optional for a room (its authorisation amount holds otherwise) and required for own pricing.
 */
export function SchemeFields({ values, errors, holdNote, thresholdRequired = false }: { values: SchemeValues; errors: Errors; holdNote: Child; thresholdRequired?: boolean }) {
  const currency = (PRICING_CURRENCIES as readonly string[]).includes(values.pricingCurrency) ? values.pricingCurrency : "EUR";
  const example = minorDigits(currency) === 0 ? "3000" : "10.00";
  return (
    <>
      <div class="grid-2">
        <div class={errors.pricingCurrency ? "field has-error" : "field"}>
          <label for="f-pricingCurrency">{SCHEME_LABELS.pricingCurrency}</label>
          <select
            id="f-pricingCurrency"
            name="pricingCurrency"
            data-action="currency#relabel"
            aria-invalid={errors.pricingCurrency ? "true" : undefined}
            aria-describedby={errors.pricingCurrency ? "f-pricingCurrency-error" : "f-pricingCurrency-help"}
          >
            {PRICING_CURRENCIES.map((c) => (
              <option value={c} selected={c === values.pricingCurrency}>
                {c}
              </option>
            ))}
          </select>
          {errors.pricingCurrency ? (
            <p class="error" id="f-pricingCurrency-error" role="alert">
              {errors.pricingCurrency}
            </p>
          ) : (
            <p class="hint" id="f-pricingCurrency-help">
              Amounts below are in this currency.
            </p>
          )}
        </div>
        <UnitField
          name="pricingFreeMinutes"
          label={SCHEME_LABELS.pricingFreeMinutes}
          value={values.pricingFreeMinutes}
          errors={errors}
          type="number"
          inputmode="numeric"
          min={0}
          max={FREE_MINUTES_MAX}
          suffix="minutes"
          hint={`Not charged at the start of each chat (0–${FREE_MINUTES_MAX}). A few free minutes spare customers who hang up at once.`}
        />
      </div>
      <div class="grid-2">
        <UnitField
          name="pricingBlockPrice"
          label={SCHEME_LABELS.pricingBlockPrice}
          value={values.pricingBlockPrice}
          errors={errors}
          suffix={currency}
          money
          placeholder={example}
          hint={`Charged for the first block even if the chat is shorter (the minimum), then pro rata. As you would write it, e.g. ${example}.`}
        />
        <UnitField
          name="pricingBlockMinutes"
          label={SCHEME_LABELS.pricingBlockMinutes}
          value={values.pricingBlockMinutes}
          errors={errors}
          type="number"
          inputmode="numeric"
          min={1}
          max={BLOCK_MINUTES_MAX}
          suffix="minutes"
          hint={`The price per block buys this many minutes (1–${BLOCK_MINUTES_MAX}).`}
        />
      </div>
      <UnitField
        name="pricingSplitThreshold"
        label={thresholdRequired ? SCHEME_LABELS.pricingSplitThreshold : `${SCHEME_LABELS.pricingSplitThreshold} (optional)`}
        value={values.pricingSplitThreshold}
        errors={errors}
        suffix={currency}
        money
        placeholder={thresholdRequired ? undefined : "No split"}
        hint={holdNote}
      />
    </>
  );
}

const EXAMPLE_MINUTES = [2, 10, 30, 60];

export type PreviewModel = { ok: true; scheme: PricingScheme; holdMinor: number | null } | { ok: false; problems: string[] };

/** The price in words as the customer will read it, with the card hold and a few worked examples. */
export function PricingPreview({ preview, note }: { preview: PreviewModel; note?: Child }) {
  return (
    <div id="pricing-preview" class="pricing-preview" aria-live="polite">
      <p class="eyebrow">What customers agree to</p>
      {preview.ok ? (
        <>
          <ul class="price-words">
            {describeScheme(preview.scheme).map((line) => (
              <li>{line}</li>
            ))}
          </ul>
          {preview.holdMinor === null ? (
            <p class="small">Card hold before the chat: the split threshold, to be set before your own pricing is switched on.</p>
          ) : (
            <p class="small">
              Card hold before the chat: <strong>{formatMoney(preview.holdMinor, preview.scheme.currency)}</strong>
              {preview.scheme.splitThresholdMinor === null ? " (the authorisation amount)" : " (the split threshold)"}; what is not charged is released.
            </p>
          )}
          <p class="small muted">
            For example:{" "}
            {EXAMPLE_MINUTES.map((m, i) => (
              <>
                {i ? " · " : null}
                {m} min → {formatMoney(meterAmount(preview.scheme, m * 60), preview.scheme.currency)}
              </>
            ))}
          </p>
        </>
      ) : (
        <>
          <p class="small">The price in words appears once these are corrected:</p>
          <ul class="price-words small">
            {preview.problems.map((p) => (
              <li>{p}</li>
            ))}
          </ul>
        </>
      )}
      {note ? <p class="hint">{note}</p> : null}
    </div>
  );
}

/** A parse result as a preview: the scheme, or what stops it being one. */
export function previewOf(parsed: SchemePreview): PreviewModel {
  if (parsed.success) return { ok: true, scheme: parsed.scheme, holdMinor: parsed.holdMinor };
  return {
    ok: false,
    problems: Object.entries(parsed.errors).map(([k, message]) => `${SCHEME_LABELS[k as keyof typeof SCHEME_LABELS] ?? k}: ${message}`),
  };
}
