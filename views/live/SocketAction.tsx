/** A small button that sends `{type, action}` over the chat's socket (htmx ws-send). */
export function SocketAction({ type, action, label, primary }: { type: string; action: string; label: string; primary?: boolean }) {
  return (
    <form ws-send class="inline">
      <input type="hidden" name="type" value={type} />
      <input type="hidden" name="action" value={action} />
      <button type="submit" class={primary ? "btn btn-small btn-primary" : "btn btn-small btn-ghost"}>
        {label}
      </button>
    </form>
  );
}
