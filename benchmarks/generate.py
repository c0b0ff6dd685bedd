"""Synthetic competitor files of any size, in the messy human formats the importer reads."""

from __future__ import annotations

import csv
import random
from pathlib import Path

CATEGORIES = ("direct", "indirect", "learning")
STYLES = ("educational", "entertainment", "polished", "UGC")
GOALS = ("awareness", "sales", "mixed")


def _human(n: float, rng: random.Random) -> str:
    style = rng.randrange(4)
    if style == 0 and n >= 1_000_000:
        return f"{n / 1_000_000:.2f}M"
    if style == 1 and n >= 10_000:
        return f"{n / 1_000:.1f}K"
    if style == 2:
        return f"{round(n):,}"
    return str(round(n))


def write_accounts(path: Path, per_category: int, seed: int = 7) -> Path:
    """`per_category` accounts in each of the three categories, in one CSV."""
    rng = random.Random(seed)
    header = ["category", "Handle", "Name", "Followers", "Followers 30d Ago", "Avg Views",
              "Avg Likes", "Avg Comments", "Avg Shares", "Avg Saves", "Posts (30d)",
              "Posting Times (ET)", "Content Style", "Business Goal", "Content Themes",
              "Hashtags", "US Audience %", "TikTok Shop", "Product Tags", "Notes"]
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        for category in CATEGORIES:
            for i in range(per_category):
                followers = int(10 ** rng.uniform(4, 6.7))
                before = int(followers / (1 + rng.uniform(-0.02, 0.25)))
                views = followers * rng.uniform(0.1, 4)
                likes = views * rng.uniform(0.01, 0.1)
                writer.writerow([
                    category, f"@{category[:3]}_account_{i}", f"Account {i}",
                    _human(followers, rng), _human(before, rng) if rng.random() > 0.1 else "",
                    _human(views, rng), _human(likes, rng), _human(likes * 0.05, rng),
                    _human(likes * 0.04, rng), _human(likes * 0.08, rng),
                    str(rng.randrange(0, 60)), "Tue/Thu 7-9pm", rng.choice(STYLES),
                    rng.choice(GOALS), "routines, reviews", "#skincaretok #fyp",
                    f"{rng.uniform(20, 90):.1f}%", rng.choice(("yes", "no", "Y")),
                    rng.choice(("yes", "no")), "",
                ])
    return path
