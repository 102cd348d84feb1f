// The camera, microphone and screen, with the browser's refusals turned into sentences a
// customer can act on. Permission prompts are explained by the caller before these are called.

/**
 * Whether the browser will ask for these devices: "granted" and "denied" mean no prompt will
 * appear (the answer is already known), "prompt" that it will.
 */
export async function permission(video) {
  try {
    const names = video ? ["camera", "microphone"] : ["microphone"];
    const states = (await Promise.all(names.map((name) => navigator.permissions.query({ name })))).map((s) => s.state);
    if (states.includes("denied")) return "denied";
    return states.every((s) => s === "granted") ? "granted" : "prompt";
  } catch {
    return "prompt";
  }
}

export async function camera(video) {
  try {
    return { stream: await navigator.mediaDevices.getUserMedia({ audio: true, video: video ? { width: { ideal: 1280 }, height: { ideal: 720 } } : false }) };
  } catch (error) {
    return { error: refusal(error, video ? "camera and microphone" : "microphone") };
  }
}

export async function screen() {
  try {
    return { stream: await navigator.mediaDevices.getDisplayMedia({ video: true, audio: false }) };
  } catch (error) {
    if (error?.name === "NotAllowedError") return { error: null }; // the person closed the picker
    return { error: "Your screen could not be shared in this browser." };
  }
}

function refusal(error, what) {
  switch (error?.name) {
    case "NotAllowedError":
    case "SecurityError":
      return `Your browser did not allow the ${what}. You can keep chatting by text; to talk, allow them in the site settings next to the address bar and press the button again.`;
    case "NotFoundError":
      return `No ${what} was found on this device. You can keep chatting by text.`;
    case "NotReadableError":
      return `The ${what} is in use by another application. Close it and try again, or keep chatting by text.`;
    default:
      return `The ${what} could not be started. You can keep chatting by text.`;
  }
}
