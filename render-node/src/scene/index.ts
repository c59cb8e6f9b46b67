/** The scene's public API: the model that turns snapshots into views, and the renderer that draws them. */
export { SceneModel, ANIM_MS } from './model.ts';
export type { SceneView, OptionView, HitEffect, Sfx, Pose, Connection } from './model.ts';
export { createRenderer, SIZES } from './renderer.ts';
export type { Renderer, RendererOptions } from './renderer.ts';
export { draw, sceneFor } from './draw.ts';
export type { FrameOptions } from './draw.ts';
export { registerFonts } from './fonts.ts';
export type { Lang } from '@stream-fighter/view/languages';
