"""Cells to choose on a figure: the answer of a "which cells" exercise.

A custom component (Streamlit's components v2, inline: no build, nothing fetched) shows the
exercise's frame with the player's cell layer over it (:func:`convviz.player.overlay`, the
same focusable, named shapes: ``x[1,2]``), stripped of what each cell feeds or reads. A
click, Enter or Space chooses or unchooses a cell; the cells chosen go to the server as the
component's state ``picked``. After a check the chosen cells show right or wrong, and once
the answer is out, every cell the output cell reads is outlined.
"""
from __future__ import annotations

import base64

import streamlit as st

from convviz import Target
from convviz.player import overlay

HTML = """<div class="picker"><div class="frame"><img alt=""><svg class="cells" role="group"
aria-label="Input cells: choose the ones the marked output cell reads"></svg></div>
<p class="status" aria-live="polite"></p></div>"""
CSS = """
.picker { font: 15px/1.4 "Source Sans Pro", "Source Sans 3", system-ui, sans-serif;
          color: #002b36; }
.frame { position: relative; width: 100%; }
.frame img { display: block; width: 100%; height: auto; }
.cells { position: absolute; inset: 0; width: 100%; height: 100%; overflow: visible; }
.cell { fill: transparent; cursor: pointer; outline: none; }
.cell:hover, .cell:focus-visible { stroke: #b58900; stroke-width: 3px;
                                   vector-effect: non-scaling-stroke; }
.cell.picked { fill: #b58900; fill-opacity: .55; stroke: #b58900; stroke-width: 2px;
               vector-effect: non-scaling-stroke; }
.cell.right { fill: #859900; fill-opacity: .7; stroke: #586e00; }
.cell.wrong { fill: #dc322f; fill-opacity: .7; stroke: #8f1d1b; stroke-dasharray: 4 3; }
.cell.answer { fill: #073642; fill-opacity: .4; stroke: #002b36; stroke-width: 3px;
               stroke-dasharray: 5 3; vector-effect: non-scaling-stroke; }
.locked .cell { cursor: default; }
.status { margin: 6px 0 0; padding: 6px 12px; border-left: 4px solid #b58900;
          font: 14px/1.5 "Source Code Pro", ui-monospace, monospace; }
"""
JS = """
function paint(root, state) {
  const names = [];
  for (const el of root.querySelectorAll(".cell")) {
    const name = el.getAttribute("aria-label"), on = state.picked.has(name);
    const mark = on ? state.marks[name] : undefined;
    el.classList.toggle("picked", on && !mark);
    el.classList.toggle("right", mark === "right");
    el.classList.toggle("wrong", mark === "wrong");
    el.classList.toggle("answer", state.answer.has(name) && mark !== "right");
    el.setAttribute("aria-checked", on ? "true" : "false");
    if (on) names.push(name);
  }
  root.classList.toggle("locked", state.locked);
  root.dataset.picked = names.join(" ");
  root.querySelector(".status").textContent = names.length
    ? `Your answer: ${names.join(", ")} (${names.length} cell${names.length > 1 ? "s" : ""})`
    : "Your answer: choose input cells on the figure (click, or Tab and Enter).";
}

function toggle(root, state, el) {
  if (state.locked) return;
  const name = el.getAttribute("aria-label");
  if (state.picked.has(name)) state.picked.delete(name); else state.picked.add(name);
  state.marks = {};
  paint(root, state);
  state.send("picked", [...state.picked]);
}

export default function (component) {
  const { data, parentElement, setStateValue } = component;
  const root = parentElement.querySelector(".picker");
  const state = root.__picker || (root.__picker = { key: null });
  Object.assign(state, { send: setStateValue, locked: !!data.locked, marks: data.marks || {},
                         answer: new Set(data.answer || []),
                         picked: new Set(data.picked || []) });
  if (state.key !== data.key) {
    state.key = data.key;
    const img = root.querySelector("img"), svg = root.querySelector("svg");
    img.src = data.image;
    img.alt = data.alt;
    img.width = data.width;
    img.height = data.height;
    svg.setAttribute("viewBox", `0 0 ${data.width} ${data.height}`);
    svg.innerHTML = data.cells;
    for (const el of svg.querySelectorAll(".cell")) {
      el.setAttribute("tabindex", "0");
      el.setAttribute("role", "checkbox");
      const title = document.createElementNS("http://www.w3.org/2000/svg", "title");
      title.textContent = el.getAttribute("aria-label");
      el.appendChild(title);
      el.addEventListener("click", () => toggle(root, state, el));
      el.addEventListener("keydown", (e) => {
        if (e.key === "Enter" || e.key === " ") { e.preventDefault(); toggle(root, state, el); }
      });
    }
  }
  paint(root, state);
}
"""

PICKER = st.components.v2.component("convviz_cell_picker", html=HTML, css=CSS, js=JS)


def _unchanged() -> None:
    """The state callback the component needs; the page reads the cells on its rerun."""


def choosable(targets: tuple[Target, ...]) -> tuple[Target, ...]:
    """The input cells of a figure's targets, without what they feed (that is the answer)."""
    return tuple(Target(t.name, t.outline, None, (), t.name) for t in targets
                 if t.name.startswith("x["))


def picked(key: str) -> list[str]:
    """The cells chosen so far in the picker ``key`` (none before it is shown)."""
    state = st.session_state.get(key) or {}
    return list(state.get("picked") or [])


def pick_cells(key: str, *, png: bytes, size: tuple[int, int], targets: tuple[Target, ...],
               alt: str, question: str, marks: dict[str, str] | None = None,
               answer: tuple[str, ...] = (), locked: bool = False) -> list[str]:
    """The figure ``png`` (``size`` (H, W) pixels) with ``targets``' input cells to choose;
    returns the names chosen. ``marks`` (name -> "right" / "wrong") show a check's result,
    ``answer`` outlines the cells that are the answer, ``locked`` stops changes."""
    chosen = picked(key)
    data = {"key": question, "image": "data:image/png;base64," + base64.b64encode(png).decode(),
            "width": size[1], "height": size[0], "alt": alt,
            "cells": overlay(choosable(targets)), "picked": chosen, "marks": marks or {},
            "answer": list(answer), "locked": locked}
    result = PICKER(key=key, data=data, default={"picked": chosen},
                    on_picked_change=_unchanged)
    return list(getattr(result, "picked", None) or chosen)
