"""The demo model: a `BlipForQuestionAnswering` (what the engine serves) plus BLIP's image-text heads (issue 20):
contrastive projections of the image's and the text's first token, and the matching head on the text encoder's first
token when it cross-attends to the image — the layout of Hugging Face's `BlipForImageTextRetrieval`, whose weights
(vision_model, text_encoder, vision_proj, text_proj, itm_head) are a subset of this model's (shapes.weights).

Architecture: 96-px images; a small convolutional stem of stride 8 in place of BLIP's patch embedding (ConvStem: 12 x 12
image tokens + CLS, objects sit anywhere and are 2-3 tokens wide), then BLIP's: hidden 128, 4 vision layers, 3
text-encoder and 3 decoder layers. One change to BLIP's data flow: answering, the decoder attends to the image's states
as well as the question's (answer_memory; the manifest says so and the engine does the same).
"""

from __future__ import annotations

import torch
from torch import nn
from transformers import BertTokenizerFast, BlipConfig, BlipForQuestionAnswering, GenerationConfig

from shapes.vocab import decoder_start_id, model_vocab_size
from shapes.world import COLOURS, MAX_OBJECTS, SHAPES

IMAGE_SIZE = 96  # what BlipImageProcessor resizes every image to (shapes.batch.pixels)
HIDDEN = 128
FFN = 512
HEADS = 4
PATCH = 8
VISION_LAYERS = 4
TEXT_LAYERS = 3
MAX_POSITIONS = 64
EMBED = 128  # image-text feature size (BlipConfig.image_text_hidden_size)
# The longest caption (six groups) is 27 tokens with [DEC] and [SEP]; generate() counts the start token in max_length.
MAX_LENGTH = 32
# The vision class default initializer range is 1e-10, which leaves a fresh vision tower blind; BERT's 0.02 trains.
INIT_RANGE = 0.02


def blip_config(tokenizer: BertTokenizerFast) -> BlipConfig:
    """The BlipConfig: model vocabulary = tokenizer + [DEC] + [ENC]; [SEP] ends generation, as in real BLIP."""
    text = dict(
        vocab_size=model_vocab_size(tokenizer), hidden_size=HIDDEN, encoder_hidden_size=HIDDEN, intermediate_size=FFN,
        num_hidden_layers=TEXT_LAYERS, num_attention_heads=HEADS, max_position_embeddings=MAX_POSITIONS,
        bos_token_id=decoder_start_id(tokenizer), pad_token_id=tokenizer.pad_token_id, sep_token_id=tokenizer.sep_token_id,
        eos_token_id=tokenizer.sep_token_id, initializer_range=INIT_RANGE,
    )
    vision = dict(hidden_size=HIDDEN, intermediate_size=FFN, num_hidden_layers=VISION_LAYERS, num_attention_heads=HEADS,
                  image_size=IMAGE_SIZE, patch_size=PATCH, initializer_range=INIT_RANGE)
    return BlipConfig(text_config=text, vision_config=vision, initializer_range=INIT_RANGE, image_text_hidden_size=EMBED)


def answer_memory(
    question_embeds: torch.Tensor, question_mask: torch.Tensor, image_embeds: torch.Tensor
) -> tuple[torch.Tensor, torch.Tensor]:
    """What the answer decoder cross-attends to: the question's states followed by the image's (manifest
    `answer_memory: question+image`). Hugging Face's BLIP decoder sees only the question's states, which must then carry
    the whole scene: asked to describe one, it named one group right 42 of 44 times but four to six 3 of 110 (weights/
    README.md, fifteenth session), while the same decoder captioning from the image got 98-100 %."""
    image_mask = torch.ones(image_embeds.shape[:2], dtype=question_mask.dtype)
    return torch.cat([question_embeds, image_embeds], 1), torch.cat([question_mask, image_mask], 1)


def new_vqa(tokenizer: BertTokenizerFast) -> BlipForQuestionAnswering:
    """A freshly initialised VQA model whose generation defaults fit the longest caption."""
    model = with_stem(BlipForQuestionAnswering(blip_config(tokenizer)))
    model.generation_config = GenerationConfig(
        max_length=MAX_LENGTH, num_beams=1, do_sample=False, bos_token_id=decoder_start_id(tokenizer),
        eos_token_id=tokenizer.sep_token_id, pad_token_id=tokenizer.pad_token_id,
    )
    return model


class ConvStem(nn.Module):
    """Replaces BLIP's patch embedding (one PATCH-strided convolution) with a small CNN of the same stride: a ViT from
    scratch learnt colour but not shape (the probe's object patches: shape right 56 % after 3,000 steps of 8-px
    patches, flat for the last 1,000); a CNN like this one, trained alone on the same targets, reached 81 % in 200
    steps (shapes/experiments/cnn_probe.py). Grafted fresh onto that ViT it did not lift the probe; taught alone first
    (shapes.pretrain_stem) it did (weights/README.md, sixth session). Everything after the embedding is BLIP's; the
    exported vision graph keeps its inputs and outputs."""

    def __init__(self):
        super().__init__()
        widths, layers = (32, 64, 96), [nn.Conv2d(3, 32, 3, padding=1), nn.GELU()]
        for a, b in zip(widths, widths[1:] + (HIDDEN,)):  # three stride-2 convolutions: 96 px -> 12 x 12 = 96 / PATCH
            layers += [nn.Conv2d(a, b, 3, stride=2, padding=1), nn.GELU()]
        # Two more 3 x 3 at stride 8: each token sees 49 px, a whole object (radius 7-13 px at 96) and its neighbours.
        for _ in range(2):
            layers += [nn.Conv2d(HIDDEN, HIDDEN, 3, padding=1), nn.GELU()]
        self.layers = nn.Sequential(*layers, nn.Conv2d(HIDDEN, HIDDEN, 1))  # a linear last layer, as the patch embedding is
        # Where each token sits, (x, y) in -1..1, mapped linearly into it: BLIP's learnt position embeddings are one
        # free vector per token, so "further left" is no direction the text side can compare, and relations stayed at
        # chance (the model answered "yes" to 96 % of them). Zero at first: adding it leaves a trained model unchanged.
        self.where = nn.Conv2d(2, HIDDEN, 1, bias=False)
        nn.init.zeros_(self.where.weight)
        side = torch.linspace(-1.0, 1.0, IMAGE_SIZE // PATCH)
        self.register_buffer("grid", torch.stack(torch.meshgrid(side, side, indexing="xy"))[None], persistent=False)

    @property
    def weight(self) -> torch.Tensor:  # BlipVisionEmbeddings casts its input to patch_embedding.weight.dtype
        return self.layers[0].weight

    def forward(self, pixel_values: torch.Tensor) -> torch.Tensor:
        return self.layers(pixel_values) + self.where(self.grid)


def with_stem(model):
    """Any Hugging Face BLIP model with ConvStem as its vision tower's patch embedding (PATCH must be 8: stride 8)."""
    model.vision_model.embeddings.patch_embedding = ConvStem()
    return model


class DenseHeads(nn.Module):
    """Training-only heads on the vision tower's output (targets in shapes.dense): colour, shape and (x, y) of every
    patch, and from the CLS token the count of every colour+shape kind; and on the text encoder's output (a question
    cross-attending to the image): `name_where`, where the object that a question's words name sits, and
    `question_counts`, the same kind counts from the question's first token, and `question_relation`, on a relation's
    naming words their object's centre minus the other's (shapes.train.question_losses). Never
    exported: the served model is unchanged."""

    def __init__(self):
        super().__init__()
        self.kinds, self.count_classes = len(COLOURS) * len(SHAPES), MAX_OBJECTS + 1  # shapes.dense.KINDS, COUNT_CLASSES
        self.patch_colour = nn.Linear(HIDDEN, len(COLOURS) + 1)  # + background
        self.patch_shape = nn.Linear(HIDDEN, len(SHAPES) + 1)
        self.patch_where = nn.Linear(HIDDEN, 2)
        self.counts = nn.Linear(HIDDEN, self.kinds * self.count_classes)
        self.name_where = nn.Linear(HIDDEN, 2)
        self.question_counts = nn.Linear(HIDDEN, self.kinds * self.count_classes)
        self.question_relation = nn.Linear(HIDDEN, 2)

    def forward(self, image_embeds: torch.Tensor) -> tuple[torch.Tensor, ...]:
        """Logits: patch colours [B,P,C+1], patch shapes [B,P,S+1], kind counts [B,K,count_classes]; patch (x, y) [B,P,2]."""
        patches, cls = image_embeds[:, 1:, :], image_embeds[:, 0, :]
        counts = self.counts(cls).view(-1, self.kinds, self.count_classes)
        return self.patch_colour(patches), self.patch_shape(patches), counts, self.patch_where(patches)


class DemoModel(nn.Module):
    """The VQA model plus the image-text heads, trained together (and the training-only dense heads)."""

    def __init__(self, tokenizer: BertTokenizerFast):
        super().__init__()
        self.vqa = new_vqa(tokenizer)
        self.vision_proj = nn.Linear(HIDDEN, EMBED)
        self.text_proj = nn.Linear(HIDDEN, EMBED)
        self.itm_head = nn.Linear(HIDDEN, 2)
        for head in (self.vision_proj, self.text_proj, self.itm_head):
            nn.init.normal_(head.weight, std=INIT_RANGE)
            nn.init.zeros_(head.bias)
        self.dense = DenseHeads()

    def flat_state(self) -> dict[str, torch.Tensor]:
        """Hugging Face names: the VQA model's keys plus vision_proj/text_proj/itm_head (BlipForImageTextRetrieval's)."""
        out = dict(self.vqa.state_dict())
        for name in ("vision_proj", "text_proj", "itm_head"):
            for k, v in getattr(self, name).state_dict().items():
                out[f"{name}.{k}"] = v
        return out

    def load_flat_state(self, state: dict[str, torch.Tensor]) -> None:
        heads = ("vision_proj.", "text_proj.", "itm_head.")
        self.vqa.load_state_dict({k: v for k, v in state.items() if not k.startswith(heads)})
        for name in ("vision_proj", "text_proj", "itm_head"):
            getattr(self, name).load_state_dict({k[len(name) + 1 :]: v for k, v in state.items() if k.startswith(name + ".")})
