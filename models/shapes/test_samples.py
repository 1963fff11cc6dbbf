"""The UI's sample set: a dozen PNGs whose samples.json captions and answers are the generator's own."""

from __future__ import annotations

import json

from PIL import Image

from shapes.samples import SAMPLE_COUNT, write_samples


def test_samples_are_written_with_captions_and_questions(tmp_path):
    path = write_samples(tmp_path)
    entries = json.loads(path.read_text())
    assert len(entries) == SAMPLE_COUNT
    counts = [e["caption"].count(",") + e["caption"].count(" and ") for e in entries]
    assert len(set(counts)) > 2, "samples range from one group to several"
    for e in entries:
        with Image.open(tmp_path / e["file"]) as img:
            assert min(img.size) >= 48 and img.mode == "RGB"
        assert e["caption"] and 1 <= len(e["qa"]) <= 3
        assert all(qa["question"][-1] in "?." and qa["answer"] for qa in e["qa"])


def test_samples_are_the_same_every_time(tmp_path):
    a = write_samples(tmp_path / "a").read_text()
    b = write_samples(tmp_path / "b").read_text()
    assert a == b
    assert (tmp_path / "a/sample-01.png").read_bytes() == (tmp_path / "b/sample-01.png").read_bytes()
