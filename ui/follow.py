"""The still's step, kept in step with the player.

The player steps in the browser (no server round trip per step) and tells the page where
it is by ``postMessage`` (:mod:`convviz.player`). This component (Streamlit's
``st.components.v2``, a few lines of JavaScript in the page, no iframe) listens: when the
player has rested on a step for a moment while paused, it sets the step, which reruns the
downloads section only, so "Still for notes" shows and downloads the step on the screen.
The other way round, picking a step in "Still for notes" shows that step in the player.
While the player plays, nothing is sent.
"""
from __future__ import annotations

from collections.abc import Callable

import streamlit as st

SETTLE_MS = 400
"""How long the paused player rests on a step before the still follows it."""

JS = f"""
const SETTLE_MS = {SETTLE_MS};
const follow = (window.__convvizFollow = window.__convvizFollow || {{}});

function show(step) {{                            // ask the player(s) on the page for a step
  for (const frame of document.querySelectorAll("iframe")) {{
    frame.contentWindow?.postMessage({{ type: "convviz:show", key: follow.key, step }}, "*");
  }}
}}

function heard(event) {{                          // the player says where it is
  const m = event.data;
  if (!m || m.type !== "convviz:step" || m.key !== follow.key) return;
  clearTimeout(follow.timer);
  if (m.playing || m.step === follow.step) return;
  follow.timer = setTimeout(() => {{
    if (follow.key !== m.key) return;             // the figure changed while it settled
    follow.step = m.step;
    follow.set("step", {{ key: m.key, step: m.step }});
  }}, SETTLE_MS);
}}

export default function ({{ data, setStateValue }}) {{
  follow.set = setStateValue;
  if (follow.key !== data.key) {{                 // a new figure: take the page's step, and
    clearTimeout(follow.timer);                   // forget where the last one was resting
    follow.key = data.key;
    follow.step = data.step;
  }} else if (follow.step !== data.step) {{        // the user picked a step on the page
    follow.step = data.step;
    show(data.step);
  }}
  if (!follow.listening) {{
    window.addEventListener("message", heard);
    follow.listening = true;
  }}
}}
"""

_FOLLOW = st.components.v2.component("convviz.follow", js=JS)


def follow(key: str, step: int, on_change: Callable[[], None]) -> None:
    """Keep step ``step`` (0-based, of the figure whose player has ``key``) in step with the
    player; ``on_change`` runs when the player settles on another step (read it with
    :func:`followed`)."""
    _FOLLOW(key="follow", data={"key": key, "step": step},
            default={"step": {"key": key, "step": step}}, on_step_change=on_change, height=0)


def followed(key: str) -> int | None:
    """The step the player of the figure with ``key`` last settled on, or None (also when
    the step it heard was another figure's: one the page has since left)."""
    value = st.session_state.get("follow")
    heard = value.get("step") if hasattr(value, "get") else None
    if not hasattr(heard, "get") or heard.get("key") != key:
        return None
    step = heard.get("step")
    return step if isinstance(step, int) else None
