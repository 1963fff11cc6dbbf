// The colour theme the user chose (none: as the system prefers), and the script that applies it before first paint.

/** localStorage entry of the chosen theme. */
export const THEME_STORAGE = 'blip.theme';

/** Runs in <head> before anything renders, so a dark page never flashes white. */
export const themeScript = `try{var t=localStorage.getItem('${THEME_STORAGE}');if(t==='light'||t==='dark')document.documentElement.dataset.theme=t}catch(e){}`;
