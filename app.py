"""convviz in the browser: pick a convolution, see its output size (more views to come)."""
import streamlit as st

from convviz import ConvSpec, ConvVizError, output_formula


def main() -> None:
    st.set_page_config(page_title="convviz", layout="wide")
    st.title("convviz")
    cols = st.columns(5)
    mode = cols[0].selectbox("mode", ["conv", "transposed"], key="mode")
    fields = {name: col.number_input(label, min_value=lo, max_value=32, value=default,
                                     key=name)
              for col, (name, label, lo, default) in zip(cols[1:], [
                  ("input_size", "n", 1, 5), ("kernel_size", "k", 1, 3),
                  ("stride", "s", 1, 1), ("padding", "p", 0, 0)])}
    try:
        spec = ConvSpec(mode=mode, **fields)
    except ConvVizError as error:
        st.error(str(error))
        return
    for line in output_formula(spec).latex:
        st.latex(line)
    st.code(spec.torch_line(), language="python")


main()
