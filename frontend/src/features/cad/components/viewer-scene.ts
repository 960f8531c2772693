/**
 * The three.js side of the CAD viewer (loaded lazily with CadViewer, never in the main bundle):
 * a GLB in a neutral studio, orbit and zoom, fit to view, a part tinted under the pointer.
 * It renders on demand (after a camera move, a hover change, a resize), not in a loop, so an
 * idle viewer costs nothing.
 *
 * cascadio writes STEP's Z-up coordinates into glTF's Y-up space unchanged; the root is turned
 * -90° about X so the part stands as it was designed (the Blender importer does the same).
 */
import {
  Box3,
  Color,
  DirectionalLight,
  HemisphereLight,
  Mesh,
  NeutralToneMapping,
  PerspectiveCamera,
  Raycaster,
  Scene,
  Sphere,
  Vector2,
  Vector3,
  WebGLRenderer,
} from "three";
import type { Material, MeshStandardMaterial, Object3D } from "three";
import { OrbitControls } from "three/examples/jsm/controls/OrbitControls.js";
import { GLTFLoader } from "three/examples/jsm/loaders/GLTFLoader.js";

export const BACKGROUND = 0xeef0f3;
export const HIGHLIGHT = 0x2f7bd9;
export const FALLBACK_MAGENTA = 0xff00ff;
/** Where the camera looks from at first: front, right, a little above (Y up after the turn). */
const DEFAULT_DIRECTION = new Vector3(1, 0.75, 1.35).normalize();
const FOV = 35;
const MARGIN = 1.02;

/** The camera distance at which a sphere of `radius` fills the view (both ways) with a margin. */
export function fitDistance(radius: number, fovDeg: number, aspect: number, margin = MARGIN): number {
  const vertical = (fovDeg * Math.PI) / 180;
  const horizontal = 2 * Math.atan(Math.tan(vertical / 2) * Math.max(aspect, 1e-3));
  const limiting = Math.min(vertical, horizontal);
  return (Math.max(radius, 1e-9) / Math.sin(limiting / 2)) * margin;
}

/**
 * The part an object of the loaded scene belongs to: the nearest node (itself or an ancestor
 * below `root`) that the glTF named. GLTFLoader makes names unique ("Ball_3"); the name the CAD
 * system gave is in `userData.name`.
 */
export function partNodeOf(object: Object3D, root: Object3D): { node: Object3D; name: string } | null {
  for (let current: Object3D | null = object; current && current !== root; current = current.parent) {
    const original = current.userData?.name;
    if (typeof original === "string" && original) return { node: current, name: original };
  }
  return object.name ? { node: object, name: object.name } : null;
}

function materialsOf(mesh: Mesh): MeshStandardMaterial[] {
  const list = Array.isArray(mesh.material) ? mesh.material : [mesh.material];
  return list.filter((m): m is MeshStandardMaterial => !!m && "emissive" in m && "color" in m);
}

export interface ViewerOptions {
  /** Called with the part name under the pointer, or null. */
  onHover: (name: string | null) => void;
  /** Part names that matched no material alias. */
  fallbackParts: ReadonlySet<string>;
  showFallback: boolean;
}

export interface ViewerHandle {
  fit(): void;
  setShowFallback(show: boolean): void;
  dispose(): void;
  canvas: HTMLCanvasElement;
}

/** Parse the GLB and build the viewer in `container`; throws when WebGL or the GLB fail. */
export async function createViewer(container: HTMLElement, glb: ArrayBuffer, options: ViewerOptions): Promise<ViewerHandle> {
  const gltf = await new GLTFLoader().parseAsync(glb, "");
  const root = gltf.scene;
  root.rotation.x = -Math.PI / 2;
  root.updateMatrixWorld(true);

  const renderer = new WebGLRenderer({ antialias: true, preserveDrawingBuffer: true, alpha: false });
  renderer.setPixelRatio(Math.min(window.devicePixelRatio || 1, 2));
  renderer.toneMapping = NeutralToneMapping;
  renderer.setClearColor(BACKGROUND, 1);
  const canvas = renderer.domElement;
  canvas.className = "cad-viewer__canvas";
  canvas.setAttribute("data-testid", "cad-viewer-canvas");
  canvas.setAttribute("aria-label", "3D view of the CAD file: drag to orbit, scroll to zoom");
  canvas.setAttribute("role", "img");
  container.appendChild(canvas);

  const scene = new Scene();
  scene.background = new Color(BACKGROUND);
  const camera = new PerspectiveCamera(FOV, 1, 0.001, 1000);
  scene.add(camera);
  scene.add(new HemisphereLight(0xffffff, 0x9aa3ad, 1.6));
  const key = new DirectionalLight(0xffffff, 2.2);
  key.position.set(0.6, 1, 0.8); // follows the camera: the side you look at is lit
  camera.add(key);
  const rim = new DirectionalLight(0xffffff, 0.6);
  rim.position.set(-1, 0.4, -1);
  scene.add(rim);
  scene.add(root);

  // Own materials per mesh (the GLB shares one), so a highlight or tint touches one part only.
  // The viewer GLB's materials are fully metallic by glTF's default; without an environment
  // they would look black, so they are made satin.
  const pickable: Mesh[] = [];
  root.traverse((object) => {
    if (!(object instanceof Mesh)) return;
    const own = Array.isArray(object.material)
      ? object.material.map((m: Material) => m.clone())
      : (object.material as Material).clone();
    object.material = own;
    for (const material of materialsOf(object)) {
      material.metalness = Math.min(material.metalness, 0.3);
      material.roughness = Math.max(material.roughness, 0.45);
      material.userData.baseColor = material.color.getHex();
    }
    pickable.push(object);
  });

  const controls = new OrbitControls(camera, canvas);
  controls.enableDamping = false;
  controls.screenSpacePanning = true;

  let frame = 0;
  const render = () => {
    frame = 0;
    renderer.render(scene, camera);
  };
  const requestRender = () => {
    if (!frame) frame = requestAnimationFrame(render);
  };
  controls.addEventListener("change", requestRender);

  const resize = () => {
    const width = Math.max(1, container.clientWidth);
    const height = Math.max(1, container.clientHeight);
    renderer.setSize(width, height, false);
    camera.aspect = width / height;
    camera.updateProjectionMatrix();
    requestRender();
  };

  const box = new Box3().setFromObject(root);
  const sphere = box.isEmpty() ? new Sphere(new Vector3(), 1) : box.getBoundingSphere(new Sphere());

  const fit = (direction?: Vector3) => {
    const radius = sphere.radius || 1;
    const distance = fitDistance(radius, FOV, camera.aspect);
    const from =
      direction ?? camera.position.clone().sub(controls.target).normalize();
    if (from.lengthSq() === 0) from.copy(DEFAULT_DIRECTION);
    controls.target.copy(sphere.center);
    camera.position.copy(sphere.center).addScaledVector(from, distance);
    camera.near = Math.max(distance / 1000, radius / 100);
    camera.far = distance + radius * 50;
    camera.updateProjectionMatrix();
    controls.minDistance = radius * 0.3;
    controls.maxDistance = distance * 20;
    controls.update();
    requestRender();
  };

  // Hover: pick the part under the pointer once per frame, tint it.
  const raycaster = new Raycaster();
  const pointer = new Vector2();
  let pickFrame = 0;
  let hovered: Object3D | null = null;

  const tint = (node: Object3D | null, on: boolean) => {
    node?.traverse((object) => {
      if (!(object instanceof Mesh)) return;
      for (const material of materialsOf(object)) {
        material.emissive.setHex(on ? HIGHLIGHT : 0x000000);
        material.emissiveIntensity = on ? 0.55 : 1;
      }
    });
  };

  const applyFallback = (show: boolean) => {
    for (const mesh of pickable) {
      const part = partNodeOf(mesh, root);
      const magenta = show && !!part && options.fallbackParts.has(part.name);
      for (const material of materialsOf(mesh)) {
        material.color.setHex(magenta ? FALLBACK_MAGENTA : (material.userData.baseColor as number));
      }
    }
    requestRender();
  };

  const pick = () => {
    pickFrame = 0;
    raycaster.setFromCamera(pointer, camera);
    const hit = raycaster.intersectObjects(pickable, false)[0];
    const part = hit ? partNodeOf(hit.object, root) : null;
    const node = part?.node ?? null;
    if (node === hovered) return;
    tint(hovered, false);
    tint(node, true);
    hovered = node;
    canvas.style.cursor = node ? "pointer" : "";
    options.onHover(part?.name ?? null);
    requestRender();
  };

  const onPointerMove = (event: PointerEvent) => {
    const rect = canvas.getBoundingClientRect();
    pointer.set(((event.clientX - rect.left) / rect.width) * 2 - 1, -((event.clientY - rect.top) / rect.height) * 2 + 1);
    if (!pickFrame) pickFrame = requestAnimationFrame(pick);
  };
  const onPointerLeave = () => {
    cancelAnimationFrame(pickFrame);
    pickFrame = 0;
    if (!hovered) return;
    tint(hovered, false);
    hovered = null;
    canvas.style.cursor = "";
    options.onHover(null);
    requestRender();
  };
  canvas.addEventListener("pointermove", onPointerMove);
  canvas.addEventListener("pointerleave", onPointerLeave);

  const observer = typeof ResizeObserver !== "undefined" ? new ResizeObserver(resize) : null;
  observer?.observe(container);
  resize();
  applyFallback(options.showFallback);
  fit(DEFAULT_DIRECTION.clone());
  render();

  return {
    canvas,
    fit: () => fit(),
    setShowFallback: applyFallback,
    dispose() {
      cancelAnimationFrame(frame);
      cancelAnimationFrame(pickFrame);
      observer?.disconnect();
      canvas.removeEventListener("pointermove", onPointerMove);
      canvas.removeEventListener("pointerleave", onPointerLeave);
      controls.dispose();
      root.traverse((object) => {
        if (!(object instanceof Mesh)) return;
        object.geometry.dispose();
        for (const material of Array.isArray(object.material) ? object.material : [object.material]) {
          (material as Material).dispose();
        }
      });
      renderer.dispose();
      renderer.forceContextLoss();
      canvas.remove();
    },
  };
}
