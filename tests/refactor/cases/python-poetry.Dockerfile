FROM python:3.12
RUN pip install poetry
WORKDIR /code
COPY . .
RUN poetry install --no-root
CMD ["python", "main.py"]
