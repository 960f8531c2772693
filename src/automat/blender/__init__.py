"""Code that runs inside a Blender (``bpy``) process only. Nothing outside this package imports it;
the rest of Automat starts these modules in a subprocess (``python -m automat.blender.<module>``)."""
