"""Datasets become padded sequences: tokens, numeric frames and relational bags."""

import numpy as np
import pytest

from workbench.classifiers.sequences import (
    BagSequences,
    FrameSequences,
    TokenSequences,
    Vocabulary,
    encoder_from_state,
    sequence_encoder,
    tokenise,
)
from workbench.core.errors import WorkbenchError
from workbench.data.dataset import Attribute, Dataset


def sentences(texts, labels=None, pool=None):
    pool = list(pool or dict.fromkeys(texts))
    labels = labels if labels is not None else [0] * len(texts)
    X = np.column_stack([[pool.index(t) for t in texts], labels]).astype(float)
    return Dataset("text", [Attribute.string("sentence", pool),
                            Attribute.nominal("class", ["neg", "pos"])], X, class_index=1)


def bags_dataset(bags, labels):
    relation = [Attribute.numeric("x"), Attribute.nominal("colour", ["red", "blue"])]
    X = np.column_stack([np.arange(len(bags)), labels]).astype(float)
    return Dataset("bags", [Attribute.relational("frames", relation, bags),
                            Attribute.nominal("class", ["a", "b"])], X, class_index=1)


def test_tokenise_words_and_characters():
    assert tokenise("Good case, Excellent value.") == ["good", "case", ",", "excellent",
                                                       "value", "."]
    assert tokenise("Ab c", "characters", lowercase=False) == ["A", "b", " ", "c"]


def test_vocabulary_codes_by_frequency_with_padding_and_unknown():
    vocab = Vocabulary.learn([["b", "a", "b"], ["c", "b", "a"]], min_frequency=2)
    assert vocab.tokens == ["<pad>", "<unk>", "b", "a"]
    assert vocab.encode(["a", "zebra", "b"]) == [3, 1, 2]
    assert Vocabulary.learn([["b", "a", "b"]], max_size=1).tokens == ["<pad>", "<unk>", "b"]


def test_token_sequences_learn_the_vocabulary_from_training_data_only():
    train = sentences(["the film was good", "bad film"])
    encoder = TokenSequences(0).fit(train)
    test = sentences(["an unseen good film indeed"])
    seq = encoder.transform(test)
    codes = encoder.vocabulary.codes
    assert seq.values[0].tolist() == [1, 1, codes["good"], codes["film"], 1]
    assert seq.lengths.tolist() == [5]
    padded = encoder.transform(train)
    assert padded.values.shape == (2, 4)
    assert padded.values[1].tolist() == [codes["bad"], codes["film"], 0, 0]
    assert padded.lengths.tolist() == [4, 2]
    assert encoder.step_labels(test, 0) == ["an", "unseen", "good", "film", "indeed"]


def test_token_sequences_cut_long_texts_and_keep_empty_ones():
    data = sentences(["a b c d e", ""])
    seq = TokenSequences(0, max_length=3).fit(data).transform(data)
    assert seq.values.shape == (2, 3) and seq.lengths.tolist() == [3, 0]
    assert seq.network_input(masked=True) is seq.values


def test_frames_read_an_image_row_by_row_whatever_the_attribute_order():
    names = ["pixel_1_0", "pixel_0_2", "pixel_0_0", "pixel_1_2", "pixel_0_1", "pixel_1_1"]
    image = {"pixel_0_0": 0, "pixel_0_1": 50, "pixel_0_2": 100,
             "pixel_1_0": 150, "pixel_1_1": 200, "pixel_1_2": 255}
    X = np.array([[image[n] for n in names] + [0]], dtype=float)
    data = Dataset("img", [*(Attribute.numeric(n) for n in names),
                           Attribute.nominal("class", ["a", "b"])], X, class_index=6)
    encoder = FrameSequences().fit(data)
    seq = encoder.transform(data)
    assert (encoder.steps, encoder.features, encoder.geometry) == (2, 3, (1, 2, 3))
    np.testing.assert_allclose(seq.values[0] * 255, [[0, 50, 100], [150, 200, 255]],
                               rtol=1e-6)
    assert seq.lengths.tolist() == [2]
    assert encoder.step_labels(data, 0) == ["row 0", "row 1"]


def test_frames_from_a_file_keep_their_image_shape_and_refuse_a_wrong_one():
    """A model file stores the image shape as (channels, height, width); a shape of
    another length is a damaged file, named as such rather than carried along."""
    names = [f"pixel_{r}_{c}" for r in range(2) for c in range(3)]
    X = np.array([[*range(6), 0]], dtype=float)
    data = Dataset("img", [*(Attribute.numeric(n) for n in names),
                           Attribute.nominal("class", ["a", "b"])], X, class_index=6)
    meta, arrays = FrameSequences().fit(data).state()
    assert encoder_from_state(meta, arrays, data.header()).geometry == (1, 2, 3)
    with pytest.raises(WorkbenchError, match="image shape"):
        encoder_from_state({**meta, "geometry": [2, 3]}, arrays, data.header())


def test_frames_with_explicit_steps_standardise_signed_data_and_fill_missing():
    X = np.array([[-1.0, 2.0, 3.0, 4.0, 0], [1.0, np.nan, 5.0, 8.0, 1]])
    data = Dataset("series", [Attribute.numeric(f"v{i}") for i in range(4)]
                   + [Attribute.nominal("class", ["a", "b"])], X, class_index=4)
    encoder = FrameSequences(steps=2).fit(data)
    seq = encoder.transform(data)
    assert seq.values.shape == (2, 2, 2)
    # Feature 0 over both steps: -1, 3, 1, 5 -> mean 2; the missing feature 1 -> its mean.
    assert encoder.offset[0] == pytest.approx(2.0)
    assert encoder.fill[1] == pytest.approx((2 + 4 + 8) / 3)
    assert np.all(np.isfinite(seq.values))
    with pytest.raises(WorkbenchError, match="3 steps"):
        FrameSequences(steps=3).fit(data)


def test_bags_become_steps_with_lengths_and_one_hot_nominal_values():
    bags = [np.array([[1.0, 0], [3.0, 1], [2.0, np.nan]]), np.array([[5.0, 1]]),
            np.zeros((0, 2))]
    data = bags_dataset(bags, [0, 1, 0])
    encoder = BagSequences(0).fit(data)
    seq = encoder.transform(data)
    assert seq.values.shape == (3, 3, 3)
    assert seq.lengths.tolist() == [3, 1, 0]
    np.testing.assert_array_equal(seq.values[0, :, 1:], [[1, 0], [0, 1], [0, 0]])
    assert seq.values[1, 1:].sum() == 0  # padding
    packed = seq.network_input(masked=True)
    assert packed.shape == (3, 3, 4)
    np.testing.assert_array_equal(packed[:, :, -1], [[1, 1, 1], [1, 0, 0], [0, 0, 0]])


@pytest.mark.parametrize("make", ["tokens", "frames", "bags"])
def test_encoders_survive_their_stored_state(make):
    if make == "tokens":
        data = sentences(["good film", "bad bad film"])
        encoder = TokenSequences(0, min_frequency=1).fit(data)
    elif make == "frames":
        data = Dataset("s", [Attribute.numeric(f"v{i}") for i in range(4)]
                       + [Attribute.nominal("class", ["a", "b"])],
                       np.array([[1.0, -2, 3, 4, 0], [2, 2, 2, 9, 1]]), class_index=4)
        encoder = FrameSequences(steps=2).fit(data)
    else:
        data = bags_dataset([np.array([[1.0, 0]]), np.array([[2.0, 1], [4, 0]])], [0, 1])
        encoder = BagSequences(0).fit(data)
    meta, arrays = encoder.state()
    again = encoder_from_state(meta, arrays, data.header())
    before, after = encoder.transform(data), again.transform(data)
    np.testing.assert_array_equal(before.values, after.values)
    np.testing.assert_array_equal(before.lengths, after.lengths)


def test_sequence_encoder_picks_the_source_and_names_a_missing_attribute():
    assert isinstance(sequence_encoder(sentences(["a"])), TokenSequences)
    data = bags_dataset([np.array([[1.0, 0]])], [0])
    assert isinstance(sequence_encoder(data), BagSequences)
    with pytest.raises(WorkbenchError, match="no string attribute named 'title'"):
        sequence_encoder(sentences(["a"]), "string", "title")
