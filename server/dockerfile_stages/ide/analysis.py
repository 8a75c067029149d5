"""The front door of the analysis: one ``Analysis`` per document snapshot, one method per feature.

An ``Analysis`` holds a document, its stage model, the settings that shape answers (``Options``)
and the services it may ask (``Services``: size figures, the build context, known images). Every
method returns plain data (spans in code-point columns, records of ``ide``); nothing here does
I/O or knows about LSP. The services answer from memory: figures and build-context sizes not known
yet come back as unknown, and the service that fetches them tells the caller when to ask again.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property
from typing import TYPE_CHECKING, Any, Protocol

import msgspec

from dockerfile_stages.ide.format_options import FormatOptions
from dockerfile_stages.model.image import ImageRef
from dockerfile_stages.model.stages import Stage, StageModel
from dockerfile_stages.rules import Edit, Finding, RuleCache, run_rules
from dockerfile_stages.sizes.estimate import ContextSizer
from dockerfile_stages.sizes.figures import ImageSize, SizeSource
from dockerfile_stages.syntax.document import Document
from dockerfile_stages.syntax.nodes import Pos, Span

# Each feature's module is imported by the method that needs it: the diagnostics (the first answer
# an editor shows, published by lsp/bootstrap.py before the server is loaded) need only the rules.
if TYPE_CHECKING:
    from concurrent.futures import Future

    from dockerfile_stages.ide import completion, hover, navigation, outline
    from dockerfile_stages.ide.actions import Action
    from dockerfile_stages.ide.image_tags import TagSlot
    from dockerfile_stages.ide.inlay_hints import Hint
    from dockerfile_stages.ide.links import Link
    from dockerfile_stages.ide.semantic_tokens import TokenCache
    from dockerfile_stages.ide.signature_help import SignatureHelp
    from dockerfile_stages.model.variables import Variables
    from dockerfile_stages.refactor.split import NoSplit, SplitPlan
    from dockerfile_stages.sizes.estimate import StageEstimate


class SizeLookup(Protocol):
    """Image figures known now (``sizes.service.SizeService`` is one)."""

    def known(self, image: ImageRef, platform: str) -> ImageSize: ...

    def pending(self, image: ImageRef, platform: str) -> Future[ImageSize] | None: ...

    def known_tags(self, image: ImageRef) -> tuple[str, ...] | None:
        """The registry's tags if fetched (asking starts the fetch where it can)."""
        ...

    def pending_tags(self, image: ImageRef) -> Future[tuple[str, ...]] | None: ...


class MeasuredContext(ContextSizer, Protocol):
    """A build context whose sizes are measured elsewhere (``workspace.context.BackgroundContext``)."""

    def pending(self) -> list[Future[Any]]: ...


class NoSizes:
    """No size service: every image is unknown."""

    def known(self, image: ImageRef, platform: str) -> ImageSize:
        return ImageSize(image.display, platform, None, None, SizeSource.UNKNOWN)

    def pending(self, image: ImageRef, platform: str) -> Future[ImageSize] | None:
        return None

    def known_tags(self, image: ImageRef) -> tuple[str, ...] | None:
        return None

    def pending_tags(self, image: ImageRef) -> Future[tuple[str, ...]] | None:
        return None


class Options(msgspec.Struct, frozen=True):
    """The settings that change answers (the language server's settings, or the command line's)."""

    targets: tuple[str, ...] = ()  # --target names that count as used (settings and workspace)
    ignore: tuple[str, ...] = ()  # rule ids or names never reported
    complete_images: bool = True
    split_runners: tuple[tuple[str, str], ...] = ()
    format: FormatOptions = msgspec.field(default_factory=FormatOptions)


class Services(msgspec.Struct, frozen=True):
    sizes: SizeLookup = msgspec.field(default_factory=NoSizes)
    context: MeasuredContext | None = None  # the build context, when the Dockerfile is a local file
    images: tuple[str, ...] = ()  # common images (completion after FROM; official ones are not typos)
    tags: Callable[[ImageRef], tuple[str, ...]] = lambda image: ()  # an image's known tags (completion)
    ignore_patterns: tuple[str, ...] | None = None  # the build's ignore file, where a rule reads it


class Lens(msgspec.Struct, frozen=True):
    span: Span
    title: str


class LensWaits(msgspec.Struct, frozen=True):
    pending: list[Future[Any]]  # build-context measurements to wait for briefly
    estimates: list[StageEstimate] | None  # when nothing is pending: what the lenses are made of


class Analysis:
    def __init__(
        self,
        document: Document,
        model: StageModel,
        options: Options | None = None,
        services: Services | None = None,
        rule_cache: RuleCache | None = None,
    ) -> None:
        self.document = document
        self.model = model
        self.options = options or Options()
        self.services = services or Services()
        self.rule_cache = rule_cache  # the document's, kept between versions (findings after an edit)

    @classmethod
    def of_text(cls, text: str, options: Options | None = None, services: Services | None = None) -> Analysis:
        from dockerfile_stages.model.stages import build_model

        document = Document(text, encoding="utf-32")
        return cls(document, build_model(document), options, services)

    # -- diagnostics ------------------------------------------------------------------------------

    @cached_property
    def findings(self) -> list[Finding]:
        return run_rules(
            self.document,
            self.model,
            targets=self.options.targets,
            ignore=self.options.ignore,
            images=frozenset(self.services.images),
            ignore_patterns=self.services.ignore_patterns,
            cache=self.rule_cache,
            variables=self._variables,  # the scopes the editor's features read, built once
        )

    # -- completion and hover ----------------------------------------------------------------------

    def completion(
        self, line: int, col: int, memo: completion.CompletionMemo | None = None
    ) -> list[completion.Candidate]:
        """Tags after ``FROM image:``, else syntax (keywords, flags, variables), else stages and
        images (the same list as last time from ``memo`` while the stages and the slot are)."""
        from dockerfile_stages.ide import completion
        from dockerfile_stages.ide.image_tags import tag_candidates
        from dockerfile_stages.ide.syntax_completion import complete_syntax

        slot = self._tag_slot(line, col)
        if slot is not None:  # the registry's tags first, then what only the snapshot knows
            online = self.services.sizes.known_tags(slot.image) or ()
            offline = set(self.services.tags(slot.image)) - set(online)
            return tag_candidates(slot, online, "registry") + tag_candidates(slot, offline, "snapshot", group=1)
        found = complete_syntax(self.document, self.model, line, col, self._variables)
        if found is not None:
            return found
        images = self.services.images if self.options.complete_images else ()
        return completion.complete(self.document, self.model, line, col, images, memo)

    def completion_waits(self, line: int, col: int) -> list[Future[Any]]:
        """A registry tag list being fetched for the completion here (worth a short wait)."""
        slot = self._tag_slot(line, col)
        if slot is None:
            return []
        self.services.sizes.known_tags(slot.image)  # asking starts the fetch where none is known
        pending = self.services.sizes.pending_tags(slot.image)
        return [pending] if pending is not None else []

    def _tag_slot(self, line: int, col: int) -> TagSlot | None:
        from dockerfile_stages.ide.image_tags import tag_slot

        return tag_slot(self.document, self.model, line, col) if self.options.complete_images else None

    def hover(self, line: int, col: int) -> hover.HoverText | None:
        """Syntax docs, an image's figures, or the stage named here with its estimate."""
        from dockerfile_stages.ide import hover, navigation, sizes
        from dockerfile_stages.ide.syntax_hover import hover_syntax

        syntax = hover_syntax(self.document, line, col, self._variables)
        at = sizes.image_at(self.model, line, col)
        if at is not None:
            card = sizes.image_hover(at, self.services.sizes.known(at.image, at.platform))
            if syntax is not None:  # a variable in the image: its value beside the image card
                return hover.HoverText(syntax.markdown + "\n\n---\n\n" + card, syntax.span)
            return hover.HoverText(card, at.span)
        if syntax is not None:
            return syntax
        found = hover.hover(self.model, line, col)
        if found is None:
            return None
        stage = navigation.stage_at(self.model, line, col)
        if stage is None:
            return found
        estimate = self.estimate(stage[0].index)
        return hover.HoverText(found.markdown + "\n\n" + "\n".join(sizes.stage_estimate_lines(estimate)), found.span)

    def hover_waits(self, line: int, col: int) -> list[Future[Any]]:
        """Lookups in progress that would improve the hover here (worth a short wait)."""
        from dockerfile_stages.ide import navigation, sizes

        at = sizes.image_at(self.model, line, col)
        if at is not None:
            self.services.sizes.known(at.image, at.platform)  # asking starts a lookup where none is known
            pending = self.services.sizes.pending(at.image, at.platform)
            return [pending] if pending is not None else []
        context = self.services.context
        if context is None or navigation.stage_at(self.model, line, col) is None:
            return []
        return context.pending()

    @cached_property
    def variables(self) -> Variables:
        """ARG/ENV scoping of this snapshot (built on first use)."""
        from dockerfile_stages.model.variables import Variables

        return Variables(self.document, self.model)

    def _variables(self) -> Variables:
        return self.variables

    # -- navigation --------------------------------------------------------------------------------

    def stage_at(self, line: int, col: int) -> Stage | None:
        """The stage named at the position (its declaration or a reference to it)."""
        from dockerfile_stages.ide import navigation

        found = navigation.stage_at(self.model, line, col)
        return found[0] if found else None

    def definition(self, line: int, col: int) -> Span | None:
        """A stage's ``AS`` name, or where a variable got its value."""
        from dockerfile_stages.ide import navigation
        from dockerfile_stages.ide.variable_navigation import variable_definition

        return navigation.definition(self.model, line, col) or variable_definition(self.variables, line, col)

    def references(self, line: int, col: int, include_declaration: bool) -> list[navigation.Occurrence]:
        """The stage's or the variable's occurrences."""
        from dockerfile_stages.ide import navigation
        from dockerfile_stages.ide.variable_navigation import variable_occurrences

        return navigation.references(self.model, line, col, include_declaration) or variable_occurrences(
            self.variables, line, col, include_declaration
        )

    def highlights(self, line: int, col: int) -> list[navigation.Occurrence]:
        return self.references(line, col, include_declaration=True)

    def prepare_rename(self, line: int, col: int) -> tuple[Span, str] | None:
        """The name's range and text: a stage's (``navigation.RenameError`` where it cannot be renamed),
        else a variable's; None where nothing can be renamed."""
        from dockerfile_stages.ide import navigation
        from dockerfile_stages.ide.variable_navigation import prepare_variable_rename

        if self.stage_at(line, col) is None:
            return prepare_variable_rename(self.variables, line, col)
        return navigation.prepare_rename(self.model, line, col)

    def rename(self, line: int, col: int, new_name: str) -> list[Edit]:
        """This file's edits; ``navigation.RenameError`` (with the reason) where the rename is refused."""
        from dockerfile_stages.ide import navigation
        from dockerfile_stages.ide.variable_navigation import rename_variable

        if self.stage_at(line, col) is None:
            edits = rename_variable(self.variables, line, col, new_name)
        else:
            edits = navigation.rename(self.model, line, col, new_name)
        return [Edit(span, text) for span, text in edits]

    def symbols(self) -> list[outline.Symbol]:
        from dockerfile_stages.ide import outline

        return outline.symbols(self.document, self.model)

    def folding_ranges(self) -> list[outline.Fold]:
        from dockerfile_stages.ide import outline

        return outline.folding_ranges(self.document, self.model)

    def semantic_tokens(self, first: int = 0, last: int | None = None, cache: TokenCache | None = None) -> list[int]:
        """Token data for lines ``first..last`` (``cache`` keeps per-chunk tokens between requests)."""
        from dockerfile_stages.ide.semantic_tokens import semantic_tokens

        return semantic_tokens(self.document, self.model, first, last, cache)

    def signature_help(self, line: int, col: int) -> SignatureHelp | None:
        from dockerfile_stages.ide.signature_help import signature_help

        return signature_help(self.document, line, col)

    def inlay_hints(self, first: int, last: int) -> list[Hint]:
        from dockerfile_stages.ide.inlay_hints import inlay_hints

        return inlay_hints(self.model, first, last)

    def selection(self, line: int, col: int) -> list[Span]:
        """The ranges around the position, innermost first."""
        from dockerfile_stages.ide.selection import selection_chain

        return selection_chain(self.document, self.model, line, col)

    def document_links(self) -> list[Link]:
        from dockerfile_stages.ide.links import document_links

        return document_links(self.document, self.model)

    # -- editing -----------------------------------------------------------------------------------

    def format(self, first: int | None = None, last: int | None = None) -> list[Edit]:
        from dockerfile_stages.ide import formatting

        if first is None or last is None:
            return formatting.format_edits(self.document, self.options.format)
        return formatting.format_edits(self.document, self.options.format, first, last)

    def format_on_type(self, line: int) -> list[Edit]:
        from dockerfile_stages.ide import formatting

        return formatting.format_on_type(self.document, line, self.options.format)

    def code_actions(self, start: Pos, end: Pos, refactors: bool = True) -> list[Action]:
        """Quick fixes of the findings in the range, and (with ``refactors``) the split refactoring."""
        from dockerfile_stages.ide.actions import code_actions

        return code_actions(
            self.model,
            self.findings,
            start,
            end,
            refactors=refactors,
            split=lambda: self.split_plan,
            image_bytes=self._image_bytes,
        )

    @cached_property
    def split_plan(self) -> SplitPlan | NoSplit:
        """The split of the final stage (planned once: code actions are asked at every cursor move)."""
        from dockerfile_stages.refactor.split import plan_split

        return plan_split(self.document, self.model, runners=dict(self.options.split_runners))

    def _image_bytes(self, image: ImageRef) -> int | None:
        return self.services.sizes.known(image, self.model.platform).best_bytes

    # -- sizes -------------------------------------------------------------------------------------

    def estimates(self) -> list[StageEstimate]:
        """Each stage's estimate from what is known now (not cached: figures arrive over time)."""
        from dockerfile_stages.sizes.estimate import base_size_by, estimate_stages

        base_size = base_size_by(self.services.sizes.known, self.model.platform)
        return estimate_stages(self.document, self.model, base_size, self.services.context)

    def estimate(self, index: int) -> StageEstimate:
        """``estimates()[index]``, reading only that stage and those it is built on."""
        from dockerfile_stages.sizes.estimate import base_size_by, estimate_stage

        base_size = base_size_by(self.services.sizes.known, self.model.platform)
        return estimate_stage(self.document, self.model, index, base_size, self.services.context)

    def code_lens_waits(self) -> LensWaits:
        """Build-context measurements the lenses lack (asking starts them), worth a short wait; with
        the estimates worked out to find them, for ``code_lenses`` when there is nothing to wait for."""
        from dockerfile_stages.sizes.estimate import PartKind

        context = self.services.context
        if context is None:
            return LensWaits([], None)
        estimates = self.estimates()
        unknown = any(
            part.kind is PartKind.CONTEXT and part.size is None for estimate in estimates for part in estimate.parts
        )
        pending = context.pending() if unknown else []
        return LensWaits(pending, None if pending else estimates)

    def code_lenses(self, estimates: list[StageEstimate] | None = None) -> list[Lens]:
        """``estimates``: ``code_lens_waits().estimates`` when nothing was waited for (nothing can have
        changed since: worked out once, not twice, for a file of thousands of stages)."""
        from dockerfile_stages.ide import sizes
        from dockerfile_stages.sizes.estimate import compare

        estimates = self.estimates() if estimates is None else estimates
        lenses = []
        comparison = compare(estimates)
        if comparison is not None:
            lenses.append(Lens(Span(Pos(0, 0), Pos(0, 0)), sizes.summary_title(comparison)))
        lenses += [Lens(estimate.stage.keyword_span, sizes.lens_title(estimate)) for estimate in estimates]
        return lenses


FEATURE_MODULES = (
    "actions",
    "completion",
    "formatting",
    "hover",
    "image_tags",
    "inlay_hints",
    "links",
    "navigation",
    "outline",
    "selection",
    "semantic_tokens",
    "signature_help",
    "sizes",
    "syntax_completion",
    "syntax_hover",
    "variable_navigation",
)


def load_features() -> None:
    """Import every feature's module now (the language server, once it runs), so that the first
    request of each kind does not wait for its import."""
    import importlib

    for name in FEATURE_MODULES:
        importlib.import_module(f"dockerfile_stages.ide.{name}")


AnalysisOf = Callable[[str], "Analysis | None"]  # the analysis of a document by URI, if it is open
