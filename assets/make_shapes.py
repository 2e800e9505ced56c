"""Draw ``assets/shapes.png``, the bundled test card made by convviz (same licence as convviz).

    python assets/make_shapes.py

A 320 x 480 RGB picture with what kernels are shown on in class: a vertical and a horizontal
edge, stripes in three directions, a checkerboard, a smooth ramp, filled shapes in colour,
thin lines and a seeded noise patch. Drawn with Pillow; the same file every time.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

HEIGHT, WIDTH = 320, 480
OUT = Path(__file__).resolve().parent / "shapes.png"


def card() -> Image.Image:
    """The test card."""
    rows, cols = np.mgrid[0:HEIGHT, 0:WIDTH]
    pixels = np.full((HEIGHT, WIDTH, 3), 236, np.uint8)
    pixels[:, :160][cols[:, :160] < 80] = 40                          # a vertical edge
    pixels[:80, 160:320] = np.where(rows[:80, 160:320] % 16 < 8, 30, 225)[..., None]
    pixels[80:160, 160:320] = np.where(cols[80:160, 160:320] % 16 < 8, 30, 225)[..., None]
    diagonal = (rows[:160, 320:] + cols[:160, 320:]) % 20 < 10       # stripes at 45 degrees
    pixels[:160, 320:] = np.where(diagonal, 50, 215)[..., None]
    board = (rows[160:240, :160] // 20 + cols[160:240, :160] // 20) % 2
    pixels[160:240, :160] = np.where(board, 20, 240)[..., None]
    pixels[240:, :160] = (cols[240:, :160] * 255 // 159).astype(np.uint8)[..., None]  # ramp
    noise = np.random.default_rng(13).integers(60, 200, (80, 160))
    pixels[240:, 320:] = noise.astype(np.uint8)[..., None]
    image = Image.fromarray(pixels, "RGB")
    draw = ImageDraw.Draw(image)
    draw.rectangle((180, 180, 240, 300), fill=(38, 139, 210))             # blue
    draw.ellipse((250, 175, 310, 235), fill=(220, 50, 47))               # red
    draw.polygon([(255, 300), (310, 300), (282, 245)], fill=(133, 153, 0))  # green
    for i, y in enumerate(range(172, 236, 8)):                          # lines 1..3 px thick
        draw.line((330, y, 470, y + 20), fill=(0, 43, 54), width=1 + i % 3)
    draw.rectangle((0, 159, 479, 160), fill=(120, 120, 120))            # a horizontal edge
    return image


if __name__ == "__main__":
    card().save(OUT, optimize=True)
    print(f"wrote {OUT}")
